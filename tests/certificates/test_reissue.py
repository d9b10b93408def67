"""After the agency revokes an attestation, the company cannot obtain a new one for that assessment
(nor a report stating its validation); only a reviewer delivers it again, with a logged reason. The
revoked document's public page keeps saying "révoqué"; the new document has its own code."""

from html import escape

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from certificates.selectors import HistoryAction, certificate_history
from review.assessments.views import REISSUED
from tests.accounts.factories import UserFactory
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot, make_snapshot

pytestmark = pytest.mark.django_db
ATTESTATION, RAPPORT = Certificate.Kind.ATTESTATION, Certificate.Kind.RAPPORT
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def fresh_lookup_budget():
    cache.delete("certificates:verify:127.0.0.1")


@pytest.fixture
def revoked(django_capture_on_commit_callbacks):
    """A validated assessment whose (rendered) attestation the agency revoked."""
    assessment = AssessmentFactory(validated=True, mixed=True)
    with django_capture_on_commit_callbacks():
        issued = services.certificate_request(assessment=assessment, kind=ATTESTATION, actor=None)
    issued = services.certificate_render_pdf(certificate=issued)
    services.certificate_revoke(
        certificate=issued, actor=UserFactory(reviewer=True), reason="Déclaration inexacte"
    )
    assessment.revoked = issued
    return assessment


def company_of(assessment):
    return assessment.product_version.product.company


def reissue(assessment, *, reason="Erreur de l'agence corrigée", actor=None):
    actor = actor or UserFactory(reviewer=True)
    return services.certificate_reissue(assessment=assessment, actor=actor, reason=reason)


# --- Service -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [ATTESTATION, RAPPORT])
@pytest.mark.parametrize("who", ["vendor", "reviewer"])
def test_after_revocation_no_new_document_stating_the_validation_is_issued(revoked, kind, who):
    actor = UserFactory(reviewer=True) if who == "reviewer" else UserFactory()
    with pytest.raises(ValidationError) as error:
        services.certificate_request(assessment=revoked, kind=kind, actor=actor)
    assert error.value.messages == [services.ATTESTATION_REVOKED]
    assert Certificate.objects.filter(assessment=revoked).count() == 1


def test_a_vendor_cannot_reissue(revoked):
    with pytest.raises(ValidationError) as error:
        reissue(revoked, actor=UserFactory())
    assert error.value.messages == [services.REISSUE_REVIEWER_ONLY]
    assert Certificate.objects.filter(assessment=revoked).count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_reissue_needs_a_reason(revoked, reason):
    with pytest.raises(ValidationError) as error:
        reissue(revoked, reason=reason)
    assert error.value.messages == [services.REISSUE_REASON_REQUIRED]


def test_a_live_attestation_is_not_reissued(django_capture_on_commit_callbacks):
    assessment = AssessmentFactory(validated=True, mixed=True)
    with django_capture_on_commit_callbacks():
        services.certificate_request(assessment=assessment, kind=ATTESTATION, actor=None)
    with pytest.raises(ValidationError) as error:
        reissue(assessment)
    assert error.value.messages == [services.NOTHING_TO_REISSUE]


def test_reviewer_reissues_a_new_document_with_the_reason_logged(revoked, django_capture_on_commit_callbacks):
    reviewer = UserFactory(reviewer=True)
    with django_capture_on_commit_callbacks() as callbacks:
        new = reissue(revoked, actor=reviewer, reason="Erreur de l'agence corrigée")

    assert new.pk != revoked.revoked.pk and new.code != revoked.revoked.code
    assert not new.is_revoked and len(callbacks) == 1
    (event,) = certificate_history(certificate=new)
    assert (event.action, event.actor) == (HistoryAction.REISSUED, str(reviewer))
    assert (new.reissue_of, new.reissue_reason) == (revoked.revoked, "Erreur de l'agence corrigée")
    assert "Erreur de l'agence corrigée" in event.detail and revoked.revoked.display_code in event.detail
    revoked.revoked.refresh_from_db()
    assert revoked.revoked.is_revoked


def test_after_a_reissue_the_company_gets_the_new_document(revoked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        new = reissue(revoked)
        again = services.certificate_request(assessment=revoked, kind=ATTESTATION, actor=UserFactory())
    assert again == new


# --- Pages ---------------------------------------------------------------------------------------------
def test_request_view_refuses_with_the_message(vendor_client_factory, revoked):
    member = vendor_client_factory(company=company_of(revoked))
    url = reverse("certificates:request", args=[revoked.public_id, ATTESTATION])
    response = member.post(url, **HTMX)
    assert escape(services.ATTESTATION_REVOKED) in response.content.decode()
    response = member.post(url, {"next": "/espace/"}, follow=True)
    assert escape(services.ATTESTATION_REVOKED) in response.content.decode()
    assert Certificate.objects.filter(assessment=revoked).count() == 1


def test_the_button_gives_way_to_the_reason_once_revoked(
    vendor_client_factory, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    assessment = AssessmentFactory(validated=True, mixed=True)
    member = vendor_client_factory(company=company_of(assessment))
    url = reverse("portal:assessments:detail", args=[assessment.public_id])
    button = reverse("certificates:request", args=[assessment.public_id, ATTESTATION])
    assert button in member.get(url).content.decode()

    with django_capture_on_commit_callbacks():
        issued = services.certificate_request(assessment=assessment, kind=ATTESTATION, actor=member.user)
    services.certificate_revoke(certificate=issued, actor=None, reason="Déclaration inexacte")
    with django_assert_max_num_queries(11):
        page = member.get(url).content.decode()

    assert button not in page
    assert escape(services.ATTESTATION_REVOKED) in page


def test_reviewer_reissues_from_the_instruction_page_with_a_reason(reviewer_client, revoked):
    detail = reverse("review:assessments:detail", args=[revoked.public_id])
    url = reverse("review:assessments:reissue", args=[revoked.public_id])
    page = reviewer_client.get(detail).content.decode()
    assert url in page and revoked.revoked.display_code in page

    refused = reviewer_client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert escape(services.REISSUE_REASON_REQUIRED) in refused.content.decode()
    assert Certificate.objects.filter(assessment=revoked).count() == 1

    response = reviewer_client.post(url, {"reason": "Erreur de l'agence corrigée"}, follow=True)
    new = Certificate.objects.filter(assessment=revoked).latest("created_at")
    assert response.redirect_chain[-1][0] == reverse("certificates:status", args=[new.public_id])
    assert escape(REISSUED) in response.content.decode()
    assert certificate_history(certificate=new)[0].detail.startswith("Erreur de l'agence corrigée")


def test_reissue_of_a_live_attestation_is_refused_on_the_page(
    reviewer_client, django_capture_on_commit_callbacks
):
    assessment = AssessmentFactory(validated=True, mixed=True)
    with django_capture_on_commit_callbacks():
        services.certificate_request(assessment=assessment, kind=ATTESTATION, actor=None)
    response = reviewer_client.post(
        reverse("review:assessments:reissue", args=[assessment.public_id]), {"reason": "Pour voir"}
    )
    assert response.status_code == 400
    assert escape(services.NOTHING_TO_REISSUE) in response.content.decode()
    assert Certificate.objects.filter(assessment=assessment).count() == 1


def test_a_vendor_cannot_reach_the_reissue_action(vendor_client_factory, revoked):
    member = vendor_client_factory(role="mandataire", company=company_of(revoked))
    response = member.post(reverse("review:assessments:reissue", args=[revoked.public_id]), {"reason": "Moi"})
    assert response.status_code in (403, 404)
    assert Certificate.objects.filter(assessment=revoked).count() == 1


def test_the_revoked_document_stays_revoked_on_its_public_page_after_a_reissue(
    client, revoked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        new = services.certificate_render_pdf(certificate=reissue(revoked))

    old_page = client.get(
        reverse("certificates:verify", args=[revoked.revoked.display_code])
    ).content.decode()
    new_page = client.get(reverse("certificates:verify", args=[new.display_code])).content.decode()

    assert "Document révoqué" in old_page and "Déclaration inexacte" in old_page
    assert "Document valide" not in old_page
    assert "Document valide" in new_page and "Document révoqué" not in new_page


def test_revoking_the_attestation_revokes_the_reports_stating_the_validation(
    client, django_capture_on_commit_callbacks
):
    assessment = AssessmentFactory(validated=True, mixed=True)
    with django_capture_on_commit_callbacks():
        attestation = services.certificate_request(assessment=assessment, kind=ATTESTATION, actor=None)
        report = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=None)
    report = services.certificate_render_pdf(certificate=report)
    working = certificate_from_snapshot(
        assessment=assessment, snapshot=make_snapshot(kind=RAPPORT, draft=True)
    )

    services.certificate_revoke(certificate=attestation, actor=None, reason="Déclaration inexacte")

    report.refresh_from_db()
    working.refresh_from_db()
    assert report.is_revoked and report.revocation_reason == services.REPORT_REVOKED_WITH.format(
        reason="Déclaration inexacte", code=attestation.display_code
    )
    assert HistoryAction.REVOKED in [e.action for e in certificate_history(certificate=report)]
    assert not working.is_revoked
    page = client.get(reverse("certificates:verify", args=[report.display_code])).content.decode()
    assert "Document révoqué" in page and "Document valide" not in page
