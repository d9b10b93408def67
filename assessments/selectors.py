"""Reads on assessments: access helpers, the questionnaire structure an assessment answers, progress.

The questionnaire definition comes from ``questionnaires.selectors.version_definition`` (plain data,
cached per version: published versions are immutable). ``structure`` derives from it once per version
the indexes the assessment code needs on every request (items by code and id, level ranks, the items
the profile rules read), so a page or an answer save never queries the definition tables.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Answer, Assessment, State, Submission, Transition
from companies.selectors import member_of, of_member
from core.memo import memo
from questionnaires import profiles
from questionnaires.models import NA_LEVEL
from questionnaires.selectors import version_definition, version_with_questionnaire

UNANSWERED_REASON = "sans réponse"
NA_UNJUSTIFIED_REASON = "« non applicable » sans justification"


@dataclass(frozen=True)
class Structure:
    """What an assessment needs to know about its questionnaire version, indexed once."""

    version_id: int
    definition: dict
    levels: tuple[dict, ...]
    level_ranks: dict[str, int]
    questions: tuple[dict, ...]
    sections: tuple[dict, ...]
    items: tuple[dict, ...]
    items_by_code: dict[str, dict]
    items_by_id: dict[int, dict]
    section_of_item: dict[str, dict]
    profile_rules: dict
    rule_item_codes: frozenset[str]

    @property
    def level_codes(self) -> frozenset[str]:
        return frozenset(self.level_ranks)


_structures: dict[int, Structure] = {}


def structure(version_id: int) -> Structure:
    """The indexed structure of a questionnaire version; memoised like the definition it comes from."""
    if (cached := _structures.get(version_id)) is not None:
        return cached
    definition = version_definition(version_id)
    sections = tuple(definition["sections"])
    items = tuple(item for section in sections for item in section["items"])
    rules = definition.get("profile_rules") or {}
    rule_items = frozenset(
        leaf["item"]
        for rule in rules.values()
        for leaf in profiles.conditions(rule["rule"])
        if "item" in leaf
    )
    result = Structure(
        version_id=version_id,
        definition=definition,
        levels=tuple(definition["levels"]),
        level_ranks=dict(definition["level_ranks"]),
        questions=tuple(definition.get("qualification_questions", ())),
        sections=sections,
        items=items,
        items_by_code={item["code"]: item for item in items},
        items_by_id={item["id"]: item for item in items},
        section_of_item={item["code"]: section for section in sections for item in section["items"]},
        profile_rules=rules,
        rule_item_codes=rule_items,
    )
    if definition["status"] != "draft":
        _structures[version_id] = result
    return result


def assessment_structure(assessment: Assessment) -> Structure:
    return structure(assessment.questionnaire_version_id)


# --- Access helpers ---------------------------------------------------------------------------------
def _with_context(queryset: QuerySet) -> QuerySet:
    # The rules are read through ``structure`` (memoised); decoding their JSON on every request is waste.
    return queryset.select_related(
        "product_version__product__company", "questionnaire_version__questionnaire"
    ).defer("questionnaire_version__profile_rules")


_COMPANY = "product_version__product__company"
NOT_A_MEMBERS_ASSESSMENT = "Aucune évaluation de vos entreprises ne correspond."
# What a write decides on (state, qualification, profiles) and what names it: the row of
# ``assessment_for_member(related=False, memberships=…)``; any other field is deferred (loaded if read).
_WRITE_FIELDS = (
    "public_id",
    "product_version",
    "questionnaire_version",
    "state",
    "qualification",
    "profiles",
    "reached_profiles",
)


def assessment_for_member(
    *, user, public_id, related: bool = True, for_update: bool = False, memberships=None
) -> Assessment:
    """An assessment of a company where ``user`` is an active member; 404 for anyone else. One query:
    the person's membership of that company comes with it (``membership``, with its company), and
    ``company_id`` is set.

    ``memberships``: the person's active memberships of active companies (``request.memberships``,
    kept in the session, or ``companies.selectors.user_memberships``): the company owning the
    assessment (memoised: ``assessment_owner``, one more query the first time in a process) must be
    one of theirs, then the row is read by primary key, without joining the membership (a third of
    the ORM's work, and a plan PostgreSQL finds several times faster), and ``membership`` is taken
    from them. Otherwise the membership is joined (``companies.selectors.of_member``).

    ``related`` loads what the pages show (product version and product, questionnaire version
    without its rules, questionnaire); without it, of the assessment only what a write decides on and
    what names it (``_WRITE_FIELDS``, the rest deferred) when ``memberships`` are given: an answer
    save shows none of the rest. Vendor pages never show the reviewer: never joined here.
    ``for_update`` also locks the assessment row (``SELECT … FOR UPDATE OF``, inside the caller's
    transaction): the access check and the lock of a write in one query.
    """
    if memberships is not None:
        return _assessment_among(memberships, public_id, related=related, for_update=for_update)
    assessments = of_member(Assessment.objects, user, company=_COMPANY, related=related)
    if related:
        assessments = assessments.select_related("questionnaire_version__questionnaire").defer(
            "questionnaire_version__profile_rules"
        )
    if for_update:
        assessments = assessments.select_for_update(of=("self",))
    try:
        assessment = assessments.get(public_id=public_id)
    except (Assessment.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404(NOT_A_MEMBERS_ASSESSMENT) from error
    assessment.membership = member_of(assessment, company=_COMPANY)
    assessment.company_id = assessment.membership.company_id
    return assessment


def _assessment_among(memberships, public_id, *, related: bool, for_update: bool) -> Assessment:
    """The owner is known before the row is read (memoised, ``assessment_owner``): the row is read
    (and locked) by primary key, with no condition on its company, and only when it is the person's."""
    by_company = {membership.company_id: membership for membership in memberships}
    owner = assessment_owner(public_id)
    if owner is None or owner.company_id not in by_company:
        raise Http404(NOT_A_MEMBERS_ASSESSMENT)
    if related:
        assessments = Assessment.objects.select_related("product_version__product")
    else:
        assessments = Assessment.objects.only(*_WRITE_FIELDS)
    if for_update:
        assessments = assessments.select_for_update(of=("self",))
    try:
        assessment = assessments.get(pk=owner.pk)
    except Assessment.DoesNotExist as error:  # deleted since it was memoised
        raise Http404(NOT_A_MEMBERS_ASSESSMENT) from error
    assessment.membership = by_company[owner.company_id]
    assessment.company_id = owner.company_id
    if related:
        assessment.product_version.product.company = assessment.membership.company
        # Published versions are immutable: memoised, not joined.
        assessment.questionnaire_version = version_with_questionnaire(assessment.questionnaire_version_id)
    return assessment


class Owner(NamedTuple):
    pk: int
    company_id: int


# An assessment never moves to another product version, nor a version to another product, nor a
# product to another company (database triggers refuse it): which company owns an assessment is fixed
# for good, memoised in the process (the "local" cache); the timeout (seconds) only bounds its size.
OWNER_TIMEOUT = 3600


def assessment_owner(public_id) -> Owner | None:
    """The primary key of the assessment ``public_id`` and the company owning it (1 query, none while
    memoised); None for no such assessment."""
    key = f"assessments:owner:{public_id}"
    if (known := memo().get(key)) is not None:
        return Owner(*known)
    try:
        row = Assessment.objects.filter(public_id=public_id).values_list("pk", f"{_COMPANY}_id").first()
    except (ValueError, ValidationError):
        return None
    if row is None:
        return None
    memo().set(key, row, OWNER_TIMEOUT)
    return Owner(*row)


def assessment_for_reviewer(*, public_id) -> Assessment:
    """A submitted-at-least-once assessment, for agency reviewers; a never-submitted draft is a 404.

    The view checks the reviewer role and second factor.
    """
    assessments = _with_context(Assessment.objects).select_related("reviewer").exclude(state=State.DRAFT)
    return get_object_or_404(assessments, public_id=public_id)


# --- Items, answers, progress -----------------------------------------------------------------------
_applicable: dict[tuple[int, str], tuple[tuple[dict, ...], ...]] = {}
APPLICABLE_MEMO_MAX = 10_000


def applicable_by_section(assessment: Assessment) -> tuple[tuple[dict, ...], ...]:
    """The items of each section that apply under the assessment's qualification answers. Memoised per
    frozen version and qualification (a handful of combinations): every page and save asks."""
    struct = assessment_structure(assessment)
    qualification = assessment.qualification
    key = (struct.version_id, json.dumps(qualification, sort_keys=True))
    if (cached := _applicable.get(key)) is not None:
        return cached
    result = tuple(
        tuple(
            item for item in section["items"] if profiles.applicable(item.get("applicability"), qualification)
        )
        for section in struct.sections
    )
    if _structures.get(struct.version_id) is struct:  # a frozen version's structure
        if len(_applicable) >= APPLICABLE_MEMO_MAX:
            _applicable.clear()
        _applicable[key] = result
    return result


def applicable_items(assessment: Assessment) -> list[dict]:
    """The items of the questionnaire that apply under the assessment's qualification answers."""
    return [item for items in applicable_by_section(assessment) for item in items]


def assessment_answers(assessment: Assessment) -> dict[int, Answer]:
    """Every answer of the assessment by item id, with who saved it (one query)."""
    answers = Answer.objects.filter(assessment=assessment).select_related("updated_by")
    return {answer.item_id: answer for answer in answers}


class AnswerData(NamedTuple):
    """An answer as plain values, with who saved it: what the questionnaire pages display."""

    item_id: int
    level: str
    justification: str
    comment: str
    revision: int
    updated_at: datetime | None  # None when read without who saved it (``answer_data(saved_by=False)``)
    updated_by_id: int | None
    first_name: str | None
    last_name: str | None
    email: str | None


ANSWER_DATA_FIELDS = (
    "item_id",
    "level",
    "justification",
    "comment",
    "revision",
    "updated_at",
    "updated_by_id",
    "updated_by__first_name",
    "updated_by__last_name",
    "updated_by__email",
)


def answer_data(
    assessment: Assessment, item_ids: list[int] | None = None, *, saved_by: bool = True
) -> dict[int, AnswerData]:
    """The answers of the assessment (only of ``item_ids`` if given) by item id, as tuples (one query,
    no model instances: a 300-item page would spend more time building objects than rendering).
    Without ``saved_by``, who saved each answer and when are left out (None), and the people who
    saved them are not joined: the read-only pages do not say it."""
    answers = Answer.objects.filter(assessment=assessment)
    if item_ids is not None:
        answers = answers.filter(item_id__in=item_ids)
    if not saved_by:
        rows = answers.values_list(*ANSWER_DATA_FIELDS[:5])
        return {row[0]: AnswerData(*row, None, None, None, None, None) for row in rows}
    return {row[0]: AnswerData(*row) for row in answers.values_list(*ANSWER_DATA_FIELDS)}


def answer_data_shown(
    assessment: Assessment, shown: list[int], *, viewer_id: int | None = None
) -> dict[int, AnswerData]:
    """Every answer of the assessment by item id, with who saved it and when for the answers of the
    items ``shown`` only (None for the others, as ``answer_data(saved_by=False)``): what a section page
    needs, its progress figures counting every answer and its items showing their own. One query,
    plus one for the names of the people other than ``viewer_id`` who saved a shown answer, when there
    are any (the viewer's own answers say "vous")."""
    shown = set(shown)
    rows = list(Answer.objects.filter(assessment=assessment).values_list(*ANSWER_DATA_FIELDS[:7]))
    others = {by for item_id, *_, by in rows if item_id in shown and by not in (None, viewer_id)}
    names = {}
    if others:
        people = get_user_model().objects.filter(pk__in=others)
        names = {pk: rest for pk, *rest in people.values_list("pk", "first_name", "last_name", "email")}
    nobody = (None, None, None)
    return {
        item_id: AnswerData(item_id, *values, by, *names.get(by, nobody))
        if item_id in shown
        else AnswerData(item_id, *values[:4], None, None, *nobody)
        for item_id, *values, by in rows
    }


def answer_data_of(answer: Answer) -> AnswerData:
    user = answer.updated_by
    return AnswerData(
        answer.item_id,
        answer.level,
        answer.justification,
        answer.comment,
        answer.revision,
        answer.updated_at,
        answer.updated_by_id,
        user.first_name if user else None,
        user.last_name if user else None,
        user.email if user else None,
    )


def answer_values_of(answers: dict[int, AnswerData]) -> dict[int, tuple[str, str]]:
    """``answer_values`` from ``answer_data`` already read (no query)."""
    return {item_id: (answer.level, answer.justification) for item_id, answer in answers.items()}


def answer_values(assessment: Assessment) -> dict[int, tuple[str, str]]:
    """(level, justification) by item id: what progress and completeness need (one light query)."""
    rows = Answer.objects.filter(assessment=assessment).values_list("item_id", "level", "justification")
    return {item_id: (level, justification) for item_id, level, justification in rows}


class Declaration(NamedTuple):
    """A sworn declaration, as its answer holds it (the answer is its one record)."""

    text: str
    declarant: str
    declarant_role: str
    declared_on: date


def sworn_declarations(assessment: Assessment, item_ids=None) -> dict[int, Declaration]:
    """The sworn declarations of the assessment's answers by item id (one query)."""
    rows = Answer.objects.filter(assessment=assessment, declared_on__isnull=False)
    if item_ids is not None:
        rows = rows.filter(item_id__in=list(item_ids))
    fields = ("item_id", "justification", "declarant", "declarant_role", "declared_on")
    return {item_id: Declaration(*rest) for item_id, *rest in rows.values_list(*fields)}


def answer_declarations(assessment: Assessment, item_ids: list[int]) -> dict[int, tuple]:
    """(declarant, declarant_role, declared_on, to_review) by item id, for the answers of ``item_ids``
    that have any of them (one query): the sworn declarations and the answers carried "à revoir"."""
    rows = (
        Answer.objects.filter(assessment=assessment, item_id__in=item_ids)
        .filter(~Q(declarant="") | ~Q(declarant_role="") | Q(declared_on__isnull=False) | Q(to_review=True))
        .values_list("item_id", "declarant", "declarant_role", "declared_on", "to_review")
    )
    return {item_id: rest for item_id, *rest in rows}


def is_complete(level: str, justification: str) -> bool:
    """An answer counts when it has a level, and an N/A counts only with its justification."""
    return bool(level) and (level != NA_LEVEL or bool(justification.strip()))


def missing_items(assessment: Assessment, values: dict[int, tuple[str, str]] | None = None) -> list[dict]:
    """Applicable items that block submission: {"code", "title", "section", "reason"} in order."""
    values = answer_values(assessment) if values is None else values
    struct = assessment_structure(assessment)
    missing = []
    for item in applicable_items(assessment):
        level, justification = values.get(item["id"], ("", ""))
        if not is_complete(level, justification):
            reason = NA_UNJUSTIFIED_REASON if level == NA_LEVEL else UNANSWERED_REASON
            section = struct.section_of_item[item["code"]]
            missing.append(
                {
                    "code": item["code"],
                    "title": item["title"],
                    "section": section["code"],
                    "section_index": struct.sections.index(section),
                    "reason": reason,
                }
            )
    return missing


def assessment_progress(assessment: Assessment, values: dict[int, tuple[str, str]] | None = None) -> dict:
    """Answered / applicable items per section and overall (one query, or none given ``values``).

    ``{"sections": [{"code", "title", "index", "answered", "total", "percent"}], "answered", "total",
    "percent"}``; sections with no applicable item are kept with a total of 0.
    """
    values = answer_values(assessment) if values is None else values
    sections, answered, total = [], 0, 0
    applicable = applicable_by_section(assessment)
    for index, (section, items) in enumerate(
        zip(assessment_structure(assessment).sections, applicable, strict=True)
    ):
        section_answered, section_total = 0, len(items)
        for item in items:
            if is_complete(*values.get(item["id"], ("", ""))):
                section_answered += 1
        sections.append(
            {
                "code": section["code"],
                "title": section["title"],
                "index": index,
                "answered": section_answered,
                "total": section_total,
                "percent": _percent(section_answered, section_total),
            }
        )
        answered, total = answered + section_answered, total + section_total
    return {"sections": sections, "answered": answered, "total": total, "percent": _percent(answered, total)}


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 100


def profile_levels(assessment: Assessment, rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{item code: level} of applicable items with a level, from (item code, level) rows."""
    struct = assessment_structure(assessment)
    qualification = assessment.qualification
    levels = {}
    for code, level in rows:
        item = struct.items_by_code.get(code)
        if level and item is not None and profiles.applicable(item.get("applicability"), qualification):
            levels[code] = level
    return levels


# --- Lists for the product page and the reviewer -----------------------------------------------------
def assessment_identity(assessment: Assessment) -> dict:
    """What a document about ``assessment`` names: company, product, version and questionnaire, as the
    rows say now (plain data). Frozen on every submission (``Submission.identity``) because the vendor
    can still rename these rows; the caller preloads the relations (``_with_context``)."""
    version = assessment.product_version
    product = version.product
    questionnaire_version = assessment.questionnaire_version
    return {
        "company": {"name": product.company.name, "siren": product.company.siren},
        "product": {
            "name": product.name,
            "os": product.os_label,
            "device": product.get_device_display(),
            "display_name": product.display_name,
            "commercial_name": product.commercial_name,
        },
        "version": {"label": version.label},
        "questionnaire": {
            "code": questionnaire_version.questionnaire.code,
            "title": questionnaire_version.questionnaire.title,
            "version": questionnaire_version.number,
        },
    }


def assessment_with_identity(assessment: Assessment) -> Assessment:
    """The assessment again, with the rows ``assessment_identity`` reads (one query)."""
    return _with_context(Assessment.objects).get(pk=assessment.pk)


def latest_submission(assessment: Assessment) -> Submission | None:
    return Submission.objects.filter(assessment=assessment).order_by("-number").first()


def assessment_submissions(assessment: Assessment) -> list[Submission]:
    return list(
        Submission.objects.filter(assessment=assessment).select_related("submitted_by").order_by("number")
    )


def assessment_history(assessment: Assessment) -> list[Transition]:
    return list(Transition.objects.filter(assessment=assessment).select_related("actor").order_by("at", "pk"))


def submissions_of_product(*, product) -> list[Submission]:
    """Every submission of every assessment of the product, newest first (one query)."""
    return list(
        Submission.objects.filter(assessment__product_version__product=product)
        .select_related("assessment__product_version", "submitted_by")
        .order_by("-submitted_at", "-pk")
    )


def assessment_document(assessment: Assessment) -> dict:
    """The interchange document of the assessment (export): answered applicable items only, with
    their sworn declaration and their "à revoir" flag when they have one."""
    struct = assessment_structure(assessment)
    answers = {}
    rows = (
        Answer.objects.filter(assessment=assessment)
        .exclude(level="")
        .values_list(
            "item_id",
            "level",
            "justification",
            "comment",
            "declarant",
            "declarant_role",
            "declared_on",
            "to_review",
        )
    )
    by_id = {item_id: values for item_id, *values in rows}
    for item in applicable_items(assessment):
        if item["id"] not in by_id:
            continue
        level, justification, comment, declarant, declarant_role, declared_on, to_review = by_id[item["id"]]
        answer = {"level": level}
        if level == NA_LEVEL:
            answer["justification"] = justification
        if comment:
            answer["comment"] = comment
        if declarant:
            answer["declarant"] = declarant
        if declarant_role:
            answer["declarant_role"] = declarant_role
        if declared_on:
            answer["declared_on"] = declared_on.isoformat()
        if to_review:
            answer["to_review"] = True
        answers[item["code"]] = answer
    product_version = assessment.product_version
    return {
        "questionnaire": {
            "code": struct.definition["questionnaire"]["code"],
            "version": struct.definition["number"],
        },
        "qualification": {
            question["code"]: assessment.qualification.get(question["code"]) for question in struct.questions
        },
        "answers": answers,
        "meta": {
            "assessment": str(assessment.public_id),
            "product": product_version.product.display_name,
            "product_version": product_version.label,
            "state": assessment.state,
        },
    }
