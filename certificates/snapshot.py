"""The frozen snapshot a certificate states, and its canonical hash. See SNAPSHOT.md.

A document is rendered from its snapshot alone: editing a company, a product or an answer later
never changes an issued PDF. ``assessment_snapshot`` (with ``_live`` and ``_submitted``) is all that
reads the database; the rest is plain data.
"""

import hashlib
import json
from collections import Counter
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone

from questionnaires.levels import NA_LEVEL

SCHEMA = 1
ATTESTATION = "attestation"
RAPPORT = "rapport"
CONFORMITE = "conformite"
NA = NA_LEVEL
UNANSWERED = "sans_reponse"
REVIEWER_ORGANISATION = "Agence du numérique en santé"
NOT_FROZEN = (
    "Cette évaluation n'a pas de soumission enregistrée : aucun document ne peut en être établi. "
    "Écrivez au support."
)
# Left out of the hash: requesting the same document for unchanged data must find the existing one.
VOLATILE_KEYS = frozenset({"issued_at"})
# A report prints every comment and justification. Each is cut at the answer rule's length, and all
# together share a budget (a 300-item report of short comments uses a tenth of it), so that no text,
# however long (stored before the rule, or by a bug), can hold a PDF worker for minutes: the whole
# budget adds about ten seconds of rendering.
ITEM_TEXT_KEYS = ("comment", "justification")
ITEM_TEXT_MAX_LENGTH = 5000
ITEM_TEXTS_MAX_LENGTH = 200_000
TRUNCATED = " […]"


def canonical_json(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def snapshot_sha256(snapshot: dict) -> str:
    stable = {key: value for key, value in snapshot.items() if key not in VOLATILE_KEYS}
    return hashlib.sha256(canonical_json(stable)).hexdigest()


def section_entry(*, section: dict, answers: list[dict], level_codes: list[str], with_items: bool) -> dict:
    """One section of the snapshot: counts per level (plus N/A and unanswered), items if asked.

    ``answers`` are the section's applicable items as dicts with ``code``, ``title``, ``level``
    ("" when unanswered), ``comment`` and ``justification``.
    """
    tally = Counter(answer["level"] or UNANSWERED for answer in answers)
    counts = {code: tally.get(code, 0) for code in [*level_codes, NA, UNANSWERED]}
    entry = {"code": section["code"], "title": section["title"], "counts": counts}
    if with_items:
        entry["items"] = [
            {key: answer.get(key) or "" for key in ("code", "title", "level", "comment", "justification")}
            for answer in answers
        ]
        for item in entry["items"]:
            for key in ITEM_TEXT_KEYS:
                item[key] = truncated(item[key], ITEM_TEXT_MAX_LENGTH)
    return entry


def truncated(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its start marked as cut, within ``limit``."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(TRUNCATED), 0)].rstrip() + TRUNCATED


def bounded_sections(sections: list[dict]) -> list[dict]:
    """Sections whose item texts total at most ``ITEM_TEXTS_MAX_LENGTH`` characters.

    Over the budget, every text longer than a common length is cut to it (the largest length that
    fits): short texts stay whole, only the longest lose their end.
    """
    lengths = [
        len(item[key]) for section in sections for item in section.get("items", ()) for key in ITEM_TEXT_KEYS
    ]
    if sum(lengths) <= ITEM_TEXTS_MAX_LENGTH:
        return sections
    low, high = 0, max(lengths)  # the largest common length whose cut texts fit in the budget
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(length, middle) for length in lengths) <= ITEM_TEXTS_MAX_LENGTH:
            low = middle
        else:
            high = middle - 1
    return [
        {
            **section,
            "items": [
                item | {key: truncated(item[key], low) for key in ITEM_TEXT_KEYS} for item in section["items"]
            ],
        }
        if "items" in section
        else section
        for section in sections
    ]


def build_snapshot(
    *,
    kind: str,
    draft: bool,
    company: dict,
    product: dict,
    version: dict,
    questionnaire: dict,
    levels: list[dict],
    profiles: dict,
    sections: list[dict],
    validated_at: str | None,
    issued_at: str | None = None,
) -> dict:
    """Assemble a snapshot from plain data (sections already shaped by ``section_entry``); the item
    texts are bounded (``bounded_sections``)."""
    return {
        "schema": SCHEMA,
        "kind": kind,
        "draft": draft,
        "company": {"name": company["name"], "siren": company["siren"]},
        "product": {
            "display_name": product["display_name"],
            "commercial_name": product["commercial_name"] or "",
        },
        "version": {"label": version["label"]},
        "questionnaire": {
            "code": questionnaire["code"],
            "title": questionnaire["title"],
            "version": questionnaire["version"],
        },
        "levels": [{"code": lv["code"], "label": lv["label"], "colour": lv["colour"]} for lv in levels],
        "profiles": {code: normalised_profile(profile) for code, profile in profiles.items()},
        "sections": bounded_sections(sections),
        "validated_at": validated_at,
        "reviewer_organisation": REVIEWER_ORGANISATION if validated_at else "",
        "issued_at": issued_at or timezone.now().isoformat(),
    }


def normalised_profile(profile: dict) -> dict:
    return {
        "label": profile.get("label", ""),
        "reached": bool(profile.get("reached")),
        "missing": list(profile.get("missing") or []),
        "met": profile.get("met", 0),
        "total": profile.get("total", 0),
    }


def assessment_snapshot(*, assessment, kind: str) -> dict:
    """Freeze what a document about ``assessment`` states, in a constant number of queries.

    Once submitted, an assessment is stated from its latest ``Submission`` (identity, qualification,
    answers, profiles frozen when the vendor submitted), never from the product, version or company
    rows the vendor can still rename: an attestation names what the agency reviewed and validated.
    Only an assessment still being edited (draft, changes requested) is stated as it is now, in a
    report marked as a draft. A report lists every applicable item; an attestation only counts them
    per section. The questionnaire structure comes from the assessments selectors (cached).
    """
    from assessments.selectors import assessment_structure, assessment_with_identity

    assessment = assessment_with_identity(assessment)
    structure = assessment_structure(assessment)
    frozen = _live(assessment, structure) if assessment.is_editable else _submitted(assessment)
    level_codes = [level["code"] for level in structure.levels]
    with_items = kind == RAPPORT
    sections = [
        section_entry(
            section=section,
            answers=[
                _answer_row(item, frozen.answers.get(item["code"], {}))
                for item in section["items"]
                if _applicable(item, frozen.qualification)
            ],
            level_codes=level_codes,
            with_items=with_items,
        )
        for section in structure.sections
    ]
    snapshot = _snapshot_of(assessment, frozen, kind=kind, levels=list(structure.levels), sections=sections)
    if with_items:
        snapshot |= _declarations(structure, frozen) | _proofs(assessment)
    return snapshot


def _declarations(structure, frozen: "Frozen") -> dict:
    """The report's sworn declarations, from the answers it states (no query): whatever the
    questionnaire version, with or without expected proofs; nothing when there are none."""
    declarations = [
        {
            "item": item["code"],
            "declarant_name": answer.get("declarant", ""),
            "declarant_role": answer.get("declarant_role", ""),
            "declared_on": answer["declared_on"],
            "text": answer.get("justification", "")[:ITEM_TEXT_MAX_LENGTH],
        }
        for item in structure.items
        if (answer := frozen.answers.get(item["code"], {})).get("declared_on")
        and _applicable(item, frozen.qualification)
    ]
    return {"declarations": declarations} if declarations else {}


def _proofs(assessment) -> dict:
    """The report's proofs (name, hash, status); nothing when there are none, so reports of
    assessments without proofs keep their content. A questionnaire whose items expect no proof costs
    no query once its version is known (memoised)."""
    from proofs.selectors import report_entries, version_expects_proofs

    if not version_expects_proofs(assessment.questionnaire_version_id):
        return {}
    entries = report_entries(assessment)
    return {key: value for key, value in entries.items() if value}


class Frozen(NamedTuple):
    """What a document states about an assessment, as plain data (see ``assessment_snapshot``)."""

    identity: dict
    qualification: dict
    # {"<item code>": {"level", "justification", "comment"[, "declarant", "declarant_role", "declared_on"]}}
    answers: dict
    profiles: dict


def _live(assessment, structure) -> Frozen:
    from assessments.models import Answer
    from assessments.selectors import assessment_identity
    from assessments.services import frozen_declaration

    rows = Answer.objects.filter(assessment=assessment).values_list(
        "item_id", "level", "justification", "comment", "declarant", "declarant_role", "declared_on"
    )
    answers = {
        structure.items_by_id[item_id]["code"]: {"level": level, "justification": why, "comment": comment}
        | frozen_declaration(*declaration)
        for item_id, level, why, comment, *declaration in rows
        if item_id in structure.items_by_id
    }
    return Frozen(assessment_identity(assessment), assessment.qualification, answers, assessment.profiles)


def _submitted(assessment) -> Frozen:
    from assessments.selectors import latest_submission

    submission = latest_submission(assessment)
    if submission is None or not submission.identity:
        raise ValidationError(NOT_FROZEN)
    return Frozen(submission.identity, submission.qualification, submission.answers, submission.profiles)


def _applicable(item: dict, qualification: dict) -> bool:
    from questionnaires.profiles import applicable

    return applicable(item.get("applicability"), qualification)


def _answer_row(item: dict, answer: dict) -> dict:
    return {**answer, "code": item["code"], "title": item["title"], "level": answer.get("level", "")}


def _snapshot_of(assessment, frozen: Frozen, *, kind: str, levels: list[dict], sections: list[dict]) -> dict:
    validated = assessment.state == assessment.State.VALIDATED
    identity = frozen.identity
    return build_snapshot(
        kind=kind,
        draft=not validated,
        company=identity["company"],
        product=identity["product"],
        version=identity["version"],
        questionnaire=identity["questionnaire"],
        levels=levels,
        profiles=frozen.profiles,
        sections=sections,
        validated_at=assessment.validated_at.isoformat() if validated and assessment.validated_at else None,
    )


# --- Certificates of conformity -----------------------------------------------------------------------
def conformity_snapshot(
    *,
    company: dict,
    capacity: str,
    product: dict,
    version: dict,
    referential: dict,
    lines: list[dict],
    validated_at: str,
    issued_at: str | None = None,
) -> dict:
    """What a certificate of conformity states, from plain data given by the certification procedure
    (``dmn.certification``): the operator, the device version, the referential and every line
    certified with its technical specifications, each questionnaire with its number of requirements
    instructed and of those declared not applicable. Nothing of the answers themselves.

    ``referential`` and each line's ``questionnaire``: ``code``, ``title``, ``version``, ``requirements``,
    ``not_applicable``; each line: ``code``, ``label``, ``questionnaire``; lines keep the given order.
    ``profiles`` is empty (no DMP profile for this procedure) so that every listed document has the
    catalogue's columns.
    """
    return {
        "schema": SCHEMA,
        "kind": CONFORMITE,
        "draft": False,
        "company": {"name": company["name"], "siren": company["siren"]},
        "capacity": capacity,
        "product": {
            "display_name": product["display_name"],
            "commercial_name": product.get("commercial_name") or "",
        },
        "version": {"label": version["label"]},
        "questionnaire": _conformity_questionnaire(referential),
        "lines": [
            {
                "code": line["code"],
                "label": line["label"],
                "questionnaire": _conformity_questionnaire(line["questionnaire"]),
            }
            for line in lines
        ],
        "profiles": {},
        "validated_at": validated_at,
        "reviewer_organisation": REVIEWER_ORGANISATION,
        "issued_at": issued_at or timezone.now().isoformat(),
    }


def _conformity_questionnaire(questionnaire: dict) -> dict:
    return {
        "code": questionnaire["code"],
        "title": questionnaire["title"],
        "version": questionnaire["version"],
        "requirements": questionnaire["requirements"],
        "not_applicable": questionnaire["not_applicable"],
    }


def requirement_counts(answers: dict) -> dict:
    """How many requirements a frozen submission answers (every applicable one) and how many of them
    it declares not applicable."""
    return {
        "requirements": len(answers),
        "not_applicable": sum(1 for answer in answers.values() if answer.get("level") == NA),
    }
