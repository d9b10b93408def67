"""Through Chromium, proofs from deposit to verdict: a vendor uploads a PDF and a short video and
submits; the reviewer watches the video inline, marks the PDF verified and the video refused, and
sends the assessment back; the vendor sees both verdicts on the items. Every page passes axe, and
the Nu Html Checker checks every document (``page`` fixture)."""

from pathlib import Path

import pytest
from django.urls import reverse

from assessments.models import Assessment
from proofs.models import Proof, Status
from tests.accounts.helpers import make_reviewer
from tests.proofs.factories import PDF, PDF_ITEM, VIDEO_ITEM, assessment_with_proofs, take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A one-second VP8 WebM (64×48) recorded by Chromium's MediaRecorder: a real, playable video.
VIDEO = Path(__file__).resolve().parents[1] / "fixtures" / "connexion-psc.webm"
REFUSAL = "La vidéo ne montre ni la déconnexion ni la nouvelle connexion."


def deposit(page, assessment, code, proof_code, file, label):
    page.goto(reverse("portal:proofs:item", args=[assessment.public_id, code]))
    page.locator(f"#fichier-{proof_code}").set_input_files(file)
    page.locator(f"#date-{proof_code}").fill("2025-03-14")
    page.get_by_role("button", name="Déposer le fichier").click()
    page.get_by_text(f"La preuve « {label} » est enregistrée.").wait_for()


def verdict(page, proof, status, comment=""):
    article = page.locator(f"#preuve-{proof.public_id}")
    # DSFR radios: the label, drawn over the input, takes the click.
    article.locator(f"label[for='statut-{proof.public_id}-{status}']").click()
    if comment:
        article.get_by_label("Commentaire").fill(comment)
    article.get_by_role("button", name="Enregistrer la vérification").click()
    page.get_by_text(f"Vérification enregistrée pour « {proof.original_name} ».").wait_for()


def test_vendor_deposits_reviewer_checks_vendor_sees_the_verdicts(page, browser_login, axe_check):
    assessment, _, mandataire = assessment_with_proofs()

    # The vendor deposits the PDF and the video, then submits.
    browser_login(mandataire)
    deposit(
        page,
        assessment,
        PDF_ITEM,
        "rapport",
        {"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": PDF},
        "Rapport de tests",
    )
    axe_check(page)
    deposit(page, assessment, VIDEO_ITEM, "video", str(VIDEO), "Vidéo de connexion")
    page.get_by_role("link", name="connexion-psc.webm").wait_for()
    axe_check(page)
    page.goto(reverse("portal:assessments:detail", args=[assessment.public_id]))
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    page.get_by_text("Soumise").first.wait_for()
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.SUBMITTED

    # The reviewer takes it, watches the video inline, gives a verdict on each proof, sends it back.
    reviewer, device = make_reviewer()
    take(assessment, reviewer)
    page.context.clear_cookies()
    browser_login(reviewer, device)
    page.goto(reverse("review:proofs:list", args=[assessment.public_id]))
    video = page.locator("video.cv-proof-media")
    video.wait_for()
    page.wait_for_function(
        "() => document.querySelector('video.cv-proof-media').readyState >= 1", timeout=15_000
    )
    assert video.evaluate("element => [element.videoWidth, element.videoHeight, element.error]") == [
        64,
        48,
        None,
    ]
    axe_check(page)
    pdf_proof, video_proof = Proof.objects.get(item__code=PDF_ITEM), Proof.objects.get(item__code=VIDEO_ITEM)
    assert (video_proof.file_format, video_proof.content_type) == ("webm", "video/webm")
    verdict(page, pdf_proof, Status.VERIFIED)
    verdict(page, video_proof, Status.REFUSED, REFUSAL)
    page.get_by_text("1 preuve(s) refusée(s) ou partiellement vérifiée(s)").wait_for()
    axe_check(page)
    page.goto(reverse("review:assessments:detail", args=[assessment.public_id]))
    page.get_by_text("Demander des compléments", exact=True).click()
    page.get_by_label("Commentaire pour l'éditeur").fill("La vidéo de connexion est à refaire.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("renvoyée à l'éditeur pour compléments").wait_for()
    assert set(Proof.objects.values_list("status", flat=True)) == {Status.VERIFIED, Status.REFUSED}

    # The vendor sees each verdict on its item, the refusal with its reason.
    page.context.clear_cookies()
    browser_login(mandataire)
    page.goto(reverse("portal:proofs:item", args=[assessment.public_id, VIDEO_ITEM]))
    refused = page.locator(".cv-verdict")
    assert " ".join(refused.text_content().split()) == f"Vérification : Refusée — {REFUSAL}"
    axe_check(page)
    page.goto(reverse("portal:proofs:item", args=[assessment.public_id, PDF_ITEM]))
    assert " ".join(page.locator(".cv-verdict").text_content().split()) == "Vérification : Vérifiée"
