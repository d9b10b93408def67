"""Demo proofs, and the full report listing proofs (name, hash, status) and sworn declarations."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from certificates import rendering
from certificates.snapshot import RAPPORT, assessment_snapshot
from proofs.models import Proof, Status
from tests.proofs.factories import (
    PDF_ITEM,
    VIDEO_ITEM,
    assessment_with_proofs,
    declare,
    submit_with_proofs,
    take,
)

# The demo deposits files as an upload would: a temporary file left for the garbage collector to
# delete (after the storage moved it) is an error, not a warning.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]


def test_load_demo_adds_proofs_of_several_kinds_one_refused(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        call_command("load_demo", stdout=io.StringIO())
        call_command("load_demo", stdout=io.StringIO())  # idempotent
    proofs = Proof.objects.filter(superseded_at__isnull=True)
    assert {"file", "description"} <= set(proofs.values_list("kind", flat=True))
    assert len(set(proofs.exclude(file_format="").values_list("file_format", flat=True))) >= 3
    assert proofs.filter(status=Status.REFUSED).count() == 1
    assert proofs.filter(status=Status.VERIFIED).exists()
    assert proofs.filter(frozen_at__isnull=True).count() == 0


def test_report_snapshot_and_pdf_list_proofs_with_hash_and_status(declaration_setup):
    assessment, expected, actor = declaration_setup
    declare(assessment, actor)
    submit_with_proofs(assessment, expected, actor)
    reviewer = take(assessment)
    from proofs import services

    video = Proof.objects.get(item__code=VIDEO_ITEM)
    services.proof_review(proof=video, status=Status.REFUSED, comment="Image floue.", actor=reviewer)
    snapshot = assessment_snapshot(assessment=assessment, kind=RAPPORT)
    pdf_proof = Proof.objects.get(item__code=PDF_ITEM)
    assert snapshot["proofs"][0] == {
        "item": PDF_ITEM,
        "label": "Rapport de tests",
        "name": "rapport.pdf",
        "sha256": pdf_proof.sha256,
        "status": "À vérifier",
        "comment": "",
        "effective_date": "2025-03-14",
        "revision": 1,
    }
    assert snapshot["proofs"][1]["status"] == "Refusée"
    assert snapshot["declarations"][0]["declarant_name"] == "Claire Martin"
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(rendering.render_pdf(snapshot, "A" * 16))).pages
    )
    flat = " ".join(text.split())
    assert "Preuves déposées" in flat and "rapport.pdf" in flat and "Refusée" in flat
    assert pdf_proof.sha256[:16] in flat.replace(" ", "")
    assert "Déclarations sur l'honneur" in flat and "Claire Martin" in flat


def test_attestation_and_reports_without_proofs_are_unchanged():
    assessment, expected, actor = assessment_with_proofs()
    assert "proofs" not in assessment_snapshot(assessment=assessment, kind=RAPPORT)
    submit_with_proofs(assessment, expected, actor)
    assert "proofs" not in assessment_snapshot(assessment=assessment, kind="attestation")
