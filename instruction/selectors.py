"""Reads of the reviewer back office: the queues of the dashboard and the instruction page.

Every function here runs a constant number of queries, whatever the number of assessments, items or
comments: lists are filtered and paginated in the database, the instruction page loads each kind of
row once and assembles it in Python.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assessments.diff import previous_submission_diff
from assessments.models import Assessment, State, Submission
from assessments.selectors import (
    applicable_items,
    assessment_answers,
    assessment_history,
    assessment_identity,
    assessment_structure,
    assessment_submissions,
)
from certificates.models import Certificate
from companies.models import Company
from instruction.models import ReviewComment
from questionnaires.levels import UNANSWERED_LABEL, UNANSWERED_LEVEL, outside_scale
from questionnaires.models import Questionnaire, QuestionnaireVersion

QUEUE_TO_TAKE = "a_prendre"
QUEUE_MINE = "mes_instructions"
QUEUE_IN_REVIEW = "en_instruction"
QUEUE_ALL = "toutes"
QUEUES = {
    QUEUE_TO_TAKE: "Soumises, à prendre",
    QUEUE_MINE: "Mes instructions",
    QUEUE_IN_REVIEW: "Toutes les instructions en cours",
    QUEUE_ALL: "Toutes les évaluations",
}
# Drafts belong to the vendor: the agency sees an assessment once it has been submitted.
REVIEWABLE_STATES = [state for state in State.values if state != State.DRAFT]


@dataclass(frozen=True)
class QueueFilters:
    queue: str = QUEUE_TO_TAKE
    questionnaire: str = ""  # Questionnaire.code
    status: str = ""
    company: str = ""  # Company.public_id
    profile: str = ""  # a profile code reached
    search: str = ""  # company name, SIREN or product name


def _to_take() -> Q:
    """Submitted and nobody's: a resubmission (after a request for changes) goes back to the reviewer
    who instructed it, unless that person no longer reviews."""
    active_reviewer = Q(reviewer__is_active=True, reviewer__is_reviewer=True)
    return Q(state=State.SUBMITTED) & ~active_reviewer


def _mine(reviewer) -> Q:
    """In review by ``reviewer``, or resubmitted to them (to take again)."""
    return Q(state__in=[State.IN_REVIEW, State.SUBMITTED], reviewer=reviewer)


def _received() -> QuerySet[Assessment]:
    """The assessments the agency has received. A DMN questionnaire is instructed in its candidature's
    queue (review.dmn), where it is taken and decided with the candidature's other questionnaires."""
    return Assessment.objects.filter(
        state__in=REVIEWABLE_STATES,
        questionnaire_version__questionnaire__theme__in=Questionnaire.SELF_ASSESSMENT_THEMES,
    )


def review_queue(*, filters: QueueFilters, reviewer) -> QuerySet[Assessment]:
    """The assessments of one queue with the filters applied, oldest submission first."""
    assessments = (
        _received()
        .select_related(
            "product_version__product__company", "questionnaire_version__questionnaire", "reviewer"
        )
        .order_by("submitted_at", "pk")
    )
    if filters.queue == QUEUE_TO_TAKE:
        assessments = assessments.filter(_to_take())
    elif filters.queue == QUEUE_MINE:
        assessments = assessments.filter(_mine(reviewer))
    elif filters.queue == QUEUE_IN_REVIEW:
        assessments = assessments.filter(state=State.IN_REVIEW)
    return _filtered(assessments, filters)


def _filtered(assessments: QuerySet[Assessment], filters: QueueFilters) -> QuerySet[Assessment]:
    if filters.questionnaire:
        assessments = assessments.filter(questionnaire_version__questionnaire__code=filters.questionnaire)
    if filters.status in REVIEWABLE_STATES:
        assessments = assessments.filter(state=filters.status)
    if filters.company:
        assessments = assessments.filter(product_version__product__company__public_id=filters.company)
    if filters.profile:
        assessments = assessments.filter(reached_profiles__contains=[filters.profile])
    if search := filters.search.strip():
        assessments = assessments.filter(
            Q(product_version__product__company__name__icontains=search)
            | Q(product_version__product__company__siren=search.replace(" ", ""))
            | Q(product_version__product__name__icontains=search)
            | Q(product_version__product__commercial_name__icontains=search)
        )
    return assessments


def queue_counts(*, reviewer) -> dict[str, int]:
    """How many assessments each queue holds (one query)."""
    return _received().aggregate(
        **{
            QUEUE_TO_TAKE: Count("pk", filter=_to_take()),
            QUEUE_MINE: Count("pk", filter=_mine(reviewer)),
            QUEUE_IN_REVIEW: Count("pk", filter=Q(state=State.IN_REVIEW)),
            QUEUE_ALL: Count("pk"),
        }
    )


def queue_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the dashboard filters (three queries, whatever the number of rows)."""
    questionnaires = list(
        Questionnaire.objects.filter(theme__in=Questionnaire.SELF_ASSESSMENT_THEMES)
        .order_by("title")
        .values_list("code", "title")
    )
    companies = [
        (str(public_id), f"{name} ({siren})")
        for public_id, name, siren in Company.objects.filter(
            products__versions__assessments__state__in=REVIEWABLE_STATES
        )
        .distinct()
        .order_by("name")
        .values_list("public_id", "name", "siren")
    ]
    profiles: dict[str, str] = {}
    for rules in QuestionnaireVersion.objects.exclude(profile_rules={}).values_list(
        "profile_rules", flat=True
    ):
        for code, rule in rules.items():
            profiles.setdefault(code, rule.get("label", code))
    return {
        "questionnaire": questionnaires,
        "status": [(state, State(state).label) for state in REVIEWABLE_STATES],
        "company": companies,
        "profile": sorted(profiles.items(), key=lambda pair: pair[1]),
    }


def pending_since(assessment: Assessment):
    """How long the assessment has been waiting since its last submission."""
    return timezone.now() - assessment.submitted_at if assessment.submitted_at else None


# --- Instruction page -----------------------------------------------------------------------------------
@dataclass
class ItemRow:
    item: dict
    answer: object
    level: dict | None
    comments: list = field(default_factory=list)
    change: dict | None = None
    help_links: list = field(default_factory=list)  # [{"title", "url"}]: the help centre's, set by the page


@dataclass
class SectionRows:
    code: str
    title: str
    rows: list[ItemRow]

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if row.change)


def instruction_sections(
    assessment: Assessment, *, changes: dict[str, dict] | None = None, only_changed: bool = False
) -> list[SectionRows]:
    """Every applicable item with the vendor's answer, its level, the threaded comments on it and
    its change since the previous submission (``changes``: {item code: change}); with ``only_changed``,
    the changed items only. Sections left without an item are left out. Two queries."""
    struct = assessment_structure(assessment)
    levels = {level["code"]: level for level in struct.levels}
    levels.update((level["code"], level) for level in outside_scale())
    answers = assessment_answers(assessment)
    threads = comment_threads(assessment)
    applicable = {item["code"] for item in applicable_items(assessment)}
    changes = changes or {}
    sections = []
    for section in struct.sections:
        rows = [
            ItemRow(
                item=item,
                answer=(answer := answers.get(item["id"])),
                level=levels.get(answer.level if answer else UNANSWERED_LEVEL),
                comments=threads.get(item["id"], []),
                change=changes.get(item["code"]),
            )
            for item in section["items"]
            if item["code"] in applicable and (not only_changed or item["code"] in changes)
        ]
        if rows:
            sections.append(SectionRows(code=section["code"], title=section["title"], rows=rows))
    return sections


def qualification_answers(assessment: Assessment) -> list[dict]:
    """The qualification questions with the vendor's answers, in order ({"text", "answer"})."""
    return [
        {"text": question["text"], "answer": _shown(assessment.qualification.get(question["code"]))}
        for question in assessment_structure(assessment).questions
    ]


def _shown(value) -> str:
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    return str(value) if value not in (None, "") else UNANSWERED_LABEL


def comment_threads(assessment: Assessment, *, published_only: bool = False) -> dict[int | None, list]:
    """Top-level comments by item id (None: the whole assessment), each with ``thread_replies``
    (every reply below it, oldest first). ``published_only``: only what the vendor may read. One query."""
    comments = ReviewComment.objects.filter(assessment=assessment).select_related("author")
    if published_only:  # what the vendor sees: never an internal note, never a pending remark
        comments = comments.filter(is_published=True, internal=False)
    by_pk = {}
    roots: dict[int | None, list] = {}
    for comment in comments.order_by("created_at", "pk"):
        comment.thread_replies = []
        by_pk[comment.pk] = comment
        parent = by_pk.get(comment.parent_id)
        if comment.parent_id and parent is not None:
            root = parent.thread_root if hasattr(parent, "thread_root") else parent
            comment.thread_root = root
            root.thread_replies.append(comment)
        else:
            roots.setdefault(comment.item_id, []).append(comment)
    return roots


def vendor_threads(assessment: Assessment) -> dict[int | None, list]:
    """The reviewer's remarks the vendor reads, with their replies, by item id (``comment_threads``):
    only while the assessment is sent back for changes (a first draft has none; once resubmitted they
    are the agency's again). One query, none when there is nothing to show."""
    if assessment.state != State.CHANGES_REQUESTED:
        return {}
    return comment_threads(assessment, published_only=True)


def commented_items(assessment: Assessment, threads: dict[int | None, list]) -> list[dict]:
    """The items ``threads`` (from ``comment_threads``) are about, in questionnaire order:
    {"code", "title", "section_index", "messages"} (messages: remarks and replies). No query."""
    rows = []
    for index, section in enumerate(assessment_structure(assessment).sections):
        for item in section["items"]:
            if roots := threads.get(item["id"]):
                messages = sum(1 + len(root.thread_replies) for root in roots)
                rows.append(
                    {
                        "code": item["code"],
                        "title": item["title"],
                        "section_index": index,
                        "messages": messages,
                    }
                )
    return rows


def sent_back_assessments(*, company) -> list[Assessment]:
    """The company's assessments sent back for changes, the longest waiting first, each with
    ``commented_items``: how many items the reviewer's published remarks are about. One query."""
    published = Q(comments__is_published=True, comments__internal=False)
    return list(
        Assessment.objects.filter(product_version__product__company=company, state=State.CHANGES_REQUESTED)
        .select_related("product_version__product", "questionnaire_version__questionnaire")
        .annotate(commented_items=Count("comments__item", filter=published, distinct=True))
        .order_by("updated_at", "pk")
    )


def vendor_history(assessment: Assessment) -> dict:
    """The vendor's track record shown beside the instruction: this assessment's transitions and
    submissions, and the other assessments of the same product with their documents (4 queries).
    Never-submitted drafts, and their documents, stay the vendor's: left out."""
    product = assessment.product_version.product
    others = list(
        Assessment.objects.filter(product_version__product=product, state__in=REVIEWABLE_STATES)
        .exclude(pk=assessment.pk)
        .select_related("product_version", "questionnaire_version__questionnaire")
        .order_by("-created_at")
    )
    certificates = list(
        Certificate.objects.filter(
            assessment__product_version__product=product, assessment__state__in=REVIEWABLE_STATES
        )
        .select_related("assessment__product_version")
        .order_by("-created_at")
    )
    return {
        "transitions": assessment_history(assessment),
        "submissions": assessment_submissions(assessment),
        "other_assessments": others,
        "certificates": certificates,
    }


def renamed_since_submission(assessment: Assessment, submissions: list[Submission]) -> dict | None:
    """The identity the latest submission froze (what the attestation will state) when the company,
    product or version has been renamed since, else None. No query: ``submissions`` is the
    assessment's, as ``vendor_history`` loads them; the assessment comes with its relations."""
    if not submissions or not submissions[-1].identity:
        return None
    frozen = submissions[-1].identity
    current = assessment_identity(assessment)
    compared = [
        ("company", "name"),
        ("product", "display_name"),
        ("product", "commercial_name"),
        ("version", "label"),
    ]
    if all(frozen[part][key] == current[part][key] for part, key in compared):
        return None
    return frozen


def previous_submission_changes(assessment: Assessment) -> dict:
    """The diff between the assessment's latest submission and the submission of the same product
    version before it (``assessments.diff``): {"diff": SubmissionDiff | None, "items": {code: change}}.
    One query."""
    submissions = list(
        Submission.objects.filter(assessment__product_version_id=assessment.product_version_id)
        .select_related("assessment__product_version")
        .order_by("submitted_at", "pk")
    )
    latest = [submission for submission in submissions if submission.assessment_id == assessment.pk]
    diff = previous_submission_diff(latest[-1], submissions) if latest else None
    return {"diff": diff, "items": {change.code: change for change in diff.items} if diff else {}}
