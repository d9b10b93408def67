"""The certificate pages in Chromium: accessible, and the status page follows the render to the end."""

import re

import pytest
from django.urls import reverse

from certificates import services
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot
from tests.companies.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_verification_from_the_typed_code(page, axe_check):
    certificate = services.certificate_render_pdf(certificate=certificate_from_snapshot())
    page.goto(reverse("certificates:verify_form"))
    axe_check(page)
    page.get_by_label("Code de vérification").fill(certificate.display_code.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("heading", name="Document valide").wait_for()
    assert page.url.endswith(f"/verifier/{certificate.display_code}")
    axe_check(page)


def test_unknown_code_keeps_what_was_typed(page, axe_check):
    page.goto(reverse("certificates:verify", args=["AAAA-BBBB-CCCC-DDDD"]))
    page.get_by_role("heading", name="Code inconnu").wait_for()
    assert page.get_by_label("Code de vérification").input_value() == "AAAA-BBBB-CCCC-DDDD"
    axe_check(page)


@pytest.mark.worker
@pytest.mark.xdist_group("certificates-worker")
def test_status_page_polls_until_the_document_is_ready(page, browser_login, celery_worker, axe_check):
    assessment = AssessmentFactory(validated=True, mixed=True, items=20)
    member = MembershipFactory(company=assessment.product_version.product.company).user
    certificate = services.certificate_request(assessment=assessment, kind="attestation", actor=member)
    browser_login(member)
    page.goto(reverse("certificates:status", args=[certificate.public_id]))
    axe_check(page)
    link = page.get_by_role("link", name=re.compile("Télécharger le document"))
    link.wait_for(timeout=90_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"attestation-{certificate.display_code}.pdf"
    axe_check(page)
