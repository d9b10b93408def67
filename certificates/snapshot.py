"""The frozen snapshot a certificate states, and its canonical hash. See SNAPSHOT.md.

A document is rendered from its snapshot alone: editing a company, a product or an answer later
never changes an issued PDF. ``assessment_snapshot`` is the only function here that reads the
database; the rest is plain data.
"""

import hashlib
import json
from collections import Counter

from django.utils import timezone

from questionnaires.levels import NA_LEVEL

SCHEMA = 1
ATTESTATION = "attestation"
RAPPORT = "rapport"
NA = NA_LEVEL
UNANSWERED = "sans_reponse"
REVIEWER_ORGANISATION = "Agence du numérique en santé"
# Left out of the hash: requesting the same document for unchanged data must find the existing one.
VOLATILE_KEYS = frozenset({"issued_at"})


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
    return entry


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
    """Assemble a snapshot from plain data (sections already shaped by ``section_entry``)."""
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
        "sections": sections,
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

    A report lists every applicable item; an attestation only counts them per section. A report on
    an assessment that is not validated is a draft. The questionnaire structure comes from the
    assessments selectors (cached per published version).
    """
    from assessments.models import Answer, Assessment
    from assessments.selectors import applicable_items, assessment_structure

    assessment = Assessment.objects.select_related(
        "product_version__product__company", "questionnaire_version__questionnaire"
    ).get(pk=assessment.pk)
    structure = assessment_structure(assessment)
    applicable = {item["code"] for item in applicable_items(assessment)}
    answers = {
        row["item_id"]: row
        for row in Answer.objects.filter(assessment=assessment).values(
            "item_id", "level", "comment", "justification"
        )
    }
    level_codes = [level["code"] for level in structure.levels]
    with_items = kind == RAPPORT
    sections = [
        section_entry(
            section=section,
            answers=[
                _answer_row(item, answers.get(item["id"], {}))
                for item in section["items"]
                if item["code"] in applicable
            ],
            level_codes=level_codes,
            with_items=with_items,
        )
        for section in structure.sections
    ]
    return _snapshot_of(assessment, kind=kind, levels=list(structure.levels), sections=sections)


def _answer_row(item: dict, answer: dict) -> dict:
    return {**answer, "code": item["code"], "title": item["title"], "level": answer.get("level", "")}


def _snapshot_of(assessment, *, kind: str, levels: list[dict], sections: list[dict]) -> dict:
    validated = assessment.state == assessment.State.VALIDATED
    product = assessment.product_version.product
    questionnaire_version = assessment.questionnaire_version
    return build_snapshot(
        kind=kind,
        draft=not validated,
        company={"name": product.company.name, "siren": product.company.siren},
        product={"display_name": product.display_name, "commercial_name": product.commercial_name},
        version={"label": assessment.product_version.label},
        questionnaire={
            "code": questionnaire_version.questionnaire.code,
            "title": questionnaire_version.questionnaire.title,
            "version": questionnaire_version.number,
        },
        levels=levels,
        profiles=assessment.profiles,
        sections=sections,
        validated_at=assessment.validated_at.isoformat() if validated and assessment.validated_at else None,
    )
