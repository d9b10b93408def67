"""Reads on proofs: what an item expects, what was deposited, what still blocks a submission."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.http import Http404

from assessments.models import Assessment
from assessments.selectors import answer_values, applicable_items, assessment_structure, sworn_declarations
from core.memo import memo
from proofs.models import Proof
from questionnaires.levels import NA_LEVEL
from questionnaires.models import ExpectedProof, QuestionnaireVersion, Section

MISSING_PROOF_REASON = "preuve manquante : {labels}"


def expected_by_item(assessment: Assessment, item_ids=None) -> dict[int, list[ExpectedProof]]:
    """The expected proofs of the assessment's questionnaire version by item id (one query); of
    ``item_ids`` only, if given."""
    expected = ExpectedProof.objects.filter(item__version_id=assessment.questionnaire_version_id)
    if item_ids is not None:
        expected = expected.filter(item_id__in=list(item_ids))
    grouped = defaultdict(list)
    for proof in expected.order_by("item_id", "order"):
        grouped[proof.item_id].append(proof)
    return grouped


# How long a process keeps a section's expected proofs (seconds): proofs added to a published version
# by another process (an addendum) show there within this time, at once in the importing process.
EXPECTED_PROOFS_TIMEOUT = 60


def expected_proof_outline(version_id: int, *, section_id: int) -> dict[int, tuple[tuple[int, bool], ...]]:
    """{item id: ((expected proof id, required), ...)} of the items of section ``section_id`` of version
    ``version_id`` that expect proofs, in order (1 query; none while memoised).

    Definition data, the same for every assessment of the version: memoised in the process (the
    "local" cache). A published version can still gain expected proofs through an addendum: the
    importing process forgets them when it commits (``expected_proofs_forget``); any other process
    shows them within ``EXPECTED_PROOFS_TIMEOUT`` seconds, when its memo expires.
    """
    return memo().get_or_set(
        _outline_key(version_id, section_id),
        lambda: _outline(version_id, section_id),
        EXPECTED_PROOFS_TIMEOUT,
    )


def _outline(version_id: int, section_id: int) -> dict[int, tuple[tuple[int, bool], ...]]:
    expected = ExpectedProof.objects.filter(item__version_id=version_id, item__section_id=section_id)
    grouped = defaultdict(list)
    for proof in expected.only("item_id", "min_count").order_by("item_id", "order"):
        grouped[proof.item_id].append((proof.pk, proof.is_required))
    return {item_id: tuple(proofs) for item_id, proofs in grouped.items()}


def _outline_key(version_id: int, section_id: int) -> str:
    return f"proofs:expected:{version_id}:{section_id}"


def expected_proofs_forget(sender=None, *, version_id: int, **kwargs) -> None:
    """Drop this process's memo of the version's expected proofs (1 query): receiver of
    ``questionnaires.signals.expected_proofs_changed``."""
    sections = Section.objects.filter(version_id=version_id).values_list("pk", flat=True)
    memo().delete_many([_expects_key(version_id), *(_outline_key(version_id, pk) for pk in sections)])


def current_proofs(assessment: Assessment, item_ids=None):
    """The proofs in force (not replaced nor withdrawn), oldest first, with who deposited them."""
    proofs = Proof.objects.filter(assessment=assessment, superseded_at__isnull=True).select_related(
        "uploaded_by", "expected"
    )
    if item_ids is not None:
        proofs = proofs.filter(item_id__in=list(item_ids))
    return proofs.order_by("item_id", "expected__order", "created_at")


def proofs_by_item(assessment: Assessment, item_ids=None) -> dict[int, list[Proof]]:
    grouped = defaultdict(list)
    for proof in current_proofs(assessment, item_ids):
        grouped[proof.item_id].append(proof)
    return grouped


def proof_counts(assessment: Assessment) -> dict[int, int]:
    """Current proofs by expected-proof id (one query)."""
    counts: dict[int, int] = defaultdict(int)
    for expected_id in Proof.objects.filter(assessment=assessment, superseded_at__isnull=True).values_list(
        "expected_id", flat=True
    ):
        counts[expected_id] += 1
    return counts


def missing_proofs(assessment: Assessment, values=None) -> list[dict]:
    """Applicable items, not declared N/A, whose required proofs are not all deposited yet:
    {"code", "title", "section", "section_index", "reason"}, in questionnaire order (3 queries)."""
    values = answer_values(assessment) if values is None else values
    expected = expected_by_item(assessment)
    counts = proof_counts(assessment)
    struct = assessment_structure(assessment)
    missing = []
    for item in applicable_items(assessment):
        if values.get(item["id"], ("", ""))[0] == NA_LEVEL:
            continue  # an item that does not apply asks for no proof (a sworn declaration instead)
        lacking = [e.label for e in expected.get(item["id"], []) if counts[e.pk] < e.min_count]
        if lacking:
            section = struct.section_of_item[item["code"]]
            missing.append(
                {
                    "code": item["code"],
                    "title": item["title"],
                    "section": section["code"],
                    "section_index": struct.sections.index(section),
                    "reason": MISSING_PROOF_REASON.format(
                        labels=", ".join(f"« {label} »" for label in lacking)
                    ),
                    "proofs": True,
                }
            )
    return missing


def proof_of_assessment(assessment: Assessment, public_id) -> Proof:
    """A proof of this assessment (current or not: reviewers look back at replaced revisions), or 404."""
    proof = (
        Proof.objects.select_related("expected", "item")
        .filter(assessment=assessment, public_id=public_id)
        .first()
    )
    if proof is None:
        raise Http404("Cette preuve n'existe pas.")
    return proof


def assessment_proof_sections(assessment: Assessment) -> list[dict]:
    """For the reviewer's and the report's listing: the items with proofs or a declaration, in order,
    each {"item", "expected": [...], "proofs": [...], "history": [...], "declaration"} (4 queries)."""
    struct = assessment_structure(assessment)
    expected = expected_by_item(assessment)
    all_proofs = (
        Proof.objects.filter(assessment=assessment)
        .select_related("uploaded_by", "reviewed_by", "expected")
        .order_by("item_id", "expected__order", "created_at")
    )
    current, history = defaultdict(list), defaultdict(list)
    for proof in all_proofs:
        (current if proof.is_current else history)[proof.item_id].append(proof)
    declarations = sworn_declarations(assessment)
    rows = []
    for item in struct.items:
        item_id = item["id"]
        if item_id in current or item_id in history or item_id in declarations:
            rows.append(
                {
                    "item": item,
                    "expected": expected.get(item_id, []),
                    "proofs": current.get(item_id, []),
                    "history": history.get(item_id, []),
                    "declaration": declarations.get(item_id),
                }
            )
    return rows


def version_expects_proofs(version_id: int) -> bool:
    """Whether a questionnaire version's items expect proofs (1 query; none while memoised).

    Memoised in the process (the "local" cache) once the version is published, like
    ``expected_proof_outline``: an addendum is forgotten at once by the importing process
    (``expected_proofs_forget``) and seen by the others within ``EXPECTED_PROOFS_TIMEOUT`` seconds."""
    key = _expects_key(version_id)
    if (known := memo().get(key)) is not None:
        return known
    status, expects = (
        QuestionnaireVersion.objects.filter(pk=version_id)
        .annotate(expects=Exists(ExpectedProof.objects.filter(item__version_id=OuterRef("pk"))))
        .values_list("status", "expects")
        .get()
    )
    if status != QuestionnaireVersion.Status.DRAFT:
        memo().set(key, expects, EXPECTED_PROOFS_TIMEOUT)
    return expects


def _expects_key(version_id: int) -> str:
    return f"proofs:expects:{version_id}"


def report_entries(assessment: Assessment) -> dict:
    """What the full report states about proofs, as plain data (1 query):
    {"proofs": [{item, label, name, sha256, status, effective_date, revision}]}. Once submitted, only
    what the submission froze (a draft replacement is not what was reviewed). Sworn declarations come
    with the answers (``certificates.snapshot``)."""
    order = {item["id"]: index for index, item in enumerate(assessment_structure(assessment).items)}
    codes = {item["id"]: item["code"] for item in assessment_structure(assessment).items}
    proofs = Proof.objects.filter(assessment=assessment, superseded_at__isnull=True).select_related(
        "expected"
    )
    if not assessment.is_editable:
        proofs = proofs.filter(frozen_at__isnull=False)
    proof_rows = sorted(
        proofs, key=lambda proof: (order.get(proof.item_id, 0), proof.expected.order, proof.pk)
    )
    return {
        "proofs": [
            {
                "item": codes.get(proof.item_id, ""),
                "label": proof.expected.label,
                "name": proof.display_name[:200],
                "sha256": proof.sha256,
                "status": proof.get_status_display(),
                "comment": proof.review_comment[:500],
                "effective_date": proof.effective_date.isoformat(),
                "revision": proof.revision,
            }
            for proof in proof_rows
        ],
    }
