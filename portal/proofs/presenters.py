"""The proofs line of each item on the questionnaire pages (at most two queries for the whole page)."""

from django.urls import reverse

from proofs import selectors


def attach_proof_links(rows: list[dict], *, assessment, items: list[dict], section_id: int) -> list[dict]:
    """Add ``row["proofs"]`` ({url, expected, required, deposited}) to the rows of items expecting proofs
    (``items``: of section ``section_id``; its expected proofs are memoised per version)."""
    expected = selectors.expected_proof_outline(assessment.questionnaire_version_id, section_id=section_id)
    if not expected:
        return rows
    counts = selectors.proof_counts(assessment)
    base = reverse("portal:proofs:item", args=[assessment.public_id, "CODE"])[: -len("CODE/preuves/")]
    for row, item in zip(rows, items, strict=True):
        if entries := expected.get(item["id"]):
            row["proofs"] = {
                "url": f"{base}{item['code']}/preuves/",
                "expected": len(entries),
                "required": sum(1 for _, required in entries if required),
                "deposited": sum(counts[expected_id] for expected_id, _ in entries),
            }
    return rows
