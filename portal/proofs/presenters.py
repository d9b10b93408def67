"""The proofs line of each item on the questionnaire pages (two queries for the whole page)."""

from django.urls import reverse

from proofs import selectors


def attach_proof_links(rows: list[dict], *, assessment, items: list[dict], section_id=None) -> list[dict]:
    """Add ``row["proofs"]`` ({url, expected, required, deposited}) to the rows of items expecting proofs
    (``section_id``: the items are of that section, read by it)."""
    if section_id is None:
        expected = selectors.expected_by_item(assessment, [item["id"] for item in items])
    else:
        expected = selectors.expected_by_item(assessment, section_id=section_id)
    if not expected:
        return rows
    counts = selectors.proof_counts(assessment)
    base = reverse("portal:proofs:item", args=[assessment.public_id, "CODE"])[: -len("CODE/preuves/")]
    for row, item in zip(rows, items, strict=True):
        if entries := expected.get(item["id"]):
            row["proofs"] = {
                "url": f"{base}{item['code']}/preuves/",
                "expected": len(entries),
                "required": sum(1 for entry in entries if entry.is_required),
                "deposited": sum(counts[entry.pk] for entry in entries),
            }
    return rows
