"""What changed between two submissions: items whose level (N/A included), justification or comment
differ, old → new. Items are matched by code, so two questionnaire versions can be compared too."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Submission
from assessments.selectors import structure
from questionnaires.levels import NA_LABEL as NA_WORDS
from questionnaires.levels import NA_LEVEL, UNANSWERED_LABEL, UNANSWERED_LEVEL

# Shown inside a sentence ("vert → non applicable").
UNANSWERED = UNANSWERED_LABEL.lower()
NA_LABEL = NA_WORDS.lower()
FIELDS = (("level", "Niveau"), ("justification", "Justification"), ("comment", "Commentaire"))
BEFORE_PARAM, AFTER_PARAM = "avant", "apres"


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    code: str
    title: str
    changes: tuple[FieldChange, ...]
    old_level: str
    new_level: str


@dataclass(frozen=True)
class SubmissionDiff:
    before: Submission
    after: Submission
    items: tuple[ItemChange, ...]


def submission_key(submission: Submission) -> str:
    """How a submission is named in URLs: its assessment's public id and its number."""
    return f"{submission.assessment.public_id}.{submission.number}"


def submission_label(submission: Submission) -> str:
    version = submission.assessment.product_version.label
    date = timezone.localtime(submission.submitted_at).strftime("%d/%m/%Y %H:%M")
    return f"Version {version} — soumission n° {submission.number} du {date}"


@dataclass(frozen=True)
class Comparison:
    """The submissions of one product version that can be compared with each other (newest first),
    with the pair to select: the one asked for when it is in this version, else the last two."""

    version: str
    key: str  # the product version's public id, for unique field ids
    choices: tuple[dict, ...]  # {"key", "label"}
    before: str
    after: str


def comparisons(submissions: list[Submission], params) -> list[Comparison]:
    """One ``Comparison`` per product version with at least two submissions: only pairs the diff
    accepts are offered. ``submissions`` newest first, as ``submissions_of_product`` gives them."""
    by_version: dict[int, list[Submission]] = {}
    for submission in submissions:
        by_version.setdefault(submission.assessment.product_version_id, []).append(submission)
    asked = params.get(BEFORE_PARAM, ""), params.get(AFTER_PARAM, "")
    result = []
    for group in by_version.values():
        if len(group) < 2:
            continue
        keys = [submission_key(submission) for submission in group]
        before, after = asked if all(key in keys for key in asked) else (keys[1], keys[0])
        version = group[0].assessment.product_version
        result.append(
            Comparison(
                version=version.label,
                key=str(version.public_id),
                choices=tuple(
                    {"key": key, "label": submission_label(submission)}
                    for key, submission in zip(keys, group, strict=True)
                ),
                before=before,
                after=after,
            )
        )
    return result


def submission_diff(before: Submission, after: Submission) -> SubmissionDiff:
    """Every item whose answer differs; an item present on one side only counts as unanswered on the other."""
    titles = _titles(after) | {
        code: title for code, title in _titles(before).items() if code not in _titles(after)
    }
    empty = {"level": "", "justification": "", "comment": ""}
    codes = list(after.answers) + [code for code in before.answers if code not in after.answers]
    items = []
    for code in codes:
        old, new = before.answers.get(code, empty), after.answers.get(code, empty)
        changes = tuple(
            FieldChange(field, label, _shown(field, old.get(field, "")), _shown(field, new.get(field, "")))
            for field, label in FIELDS
            if (old.get(field) or "") != (new.get(field) or "")
        )
        if changes:
            items.append(
                ItemChange(code, titles.get(code, ""), changes, old.get("level", ""), new.get("level", ""))
            )
    return SubmissionDiff(before=before, after=after, items=tuple(items))


def previous_submission_diff(submission: Submission, submissions: list[Submission]) -> SubmissionDiff | None:
    """The diff since the submission before ``submission`` of the same product version, if any."""
    earlier = [
        other
        for other in submissions
        if other.assessment.product_version_id == submission.assessment.product_version_id
        and other.submitted_at < submission.submitted_at
    ]
    return submission_diff(max(earlier, key=lambda s: s.submitted_at), submission) if earlier else None


def requested_diff(submissions: list[Submission] | QuerySet, params) -> SubmissionDiff | None:
    """The diff asked for by ``?avant=<key>&apres=<key>`` among ``submissions`` (same product version)."""
    by_key = {submission_key(submission): submission for submission in submissions}
    before, after = by_key.get(params.get(BEFORE_PARAM, "")), by_key.get(params.get(AFTER_PARAM, ""))
    if before is None or after is None or before == after:
        return None
    if before.assessment.product_version_id != after.assessment.product_version_id:
        return None
    return submission_diff(before, after)


def _titles(submission: Submission) -> dict[str, str]:
    return {
        item["code"]: item["title"]
        for item in structure(submission.assessment.questionnaire_version_id).items
    }


def _shown(field: str, value: str) -> str:
    if field != "level":
        return value
    return {UNANSWERED_LEVEL: UNANSWERED, NA_LEVEL: NA_LABEL}.get(value, value)
