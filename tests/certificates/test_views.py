from html import escape

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import TermsVersion
from assessments.selectors import assessment_structure
from certificates import forms, services, views
from certificates.codes import format_code
from certificates.models import Certificate
from certificates.selectors import HistoryAction, certificate_history
from tests.accounts.factories import TOTPDeviceFactory
from tests.accounts.helpers import accept_current_terms, make_reviewer, verified_login
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot, make_snapshot

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def fresh_lookup_budget():
    cache.delete("certificates:verify:127.0.0.1")


@pytest.fixture
def ready_certificate():
    return services.certificate_render_pdf(certificate=certificate_from_snapshot())


def status_url(certificate):
    return reverse("certificates:status", args=[certificate.public_id])


def download_url(certificate):
    return reverse("certificates:download", args=[certificate.public_id])


# --- Public verification ---------------------------------------------------------------------------
def test_verification_shows_the_key_facts_of_a_valid_document(
    client, ready_certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("certificates:verify", args=[ready_certificate.display_code]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Document valide" in content
    assert "Dossier Patient Horizon Windows Site Web" in content
    assert "732829320" in content
    assert "Alimentation" in content  # the profile reached
    assert "Administration" not in content
    questionnaire = ready_certificate.snapshot["questionnaire"]
    assert f"{questionnaire['title']}, version {questionnaire['version']}" in content
    assert f"({questionnaire['code']}," not in content  # internal codes stay internal


@pytest.mark.parametrize("typed", ["{lower}", "{spaced}", "{raw}", " {dashed} "])
def test_verification_accepts_the_code_in_any_typed_form(client, ready_certificate, typed):
    code = ready_certificate.code
    variants = {
        "lower": format_code(code).lower(),
        "spaced": " ".join(format_code(code).split("-")),
        "raw": code,
        "dashed": format_code(code),
    }
    response = client.get(reverse("certificates:verify_form"), {"code": typed.format(**variants)})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", args=[format_code(code)])
    assert client.get(response["Location"]).status_code == 200


def test_revoked_document_shows_date_and_reason(client, ready_certificate):
    services.certificate_revoke(certificate=ready_certificate, actor=None, reason="Produit retiré du marché")
    response = client.get(reverse("certificates:verify", args=[ready_certificate.display_code]))
    content = response.content.decode()
    assert "Document révoqué" in content and "Produit retiré du marché" in content
    assert "Document valide" not in content


def test_draft_report_is_shown_as_a_working_document(client):
    certificate = services.certificate_render_pdf(
        certificate=certificate_from_snapshot(snapshot=make_snapshot(kind="rapport", items=10, draft=True))
    )
    content = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "Document de travail, non validé" in content
    assert "Document valide" not in content


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC-DDDD", "n'importe quoi", "A" * 200, "documents"])
def test_unknown_or_malformed_code_gets_a_clear_message(client, code):
    response = client.get(reverse("certificates:verify", args=[code]))
    assert response.status_code == 404
    assert escape(views.UNKNOWN_CODE) in response.content.decode()


def test_pending_document_is_not_verifiable_yet(client):
    certificate = certificate_from_snapshot()
    assert client.get(reverse("certificates:verify", args=[certificate.code])).status_code == 404


def test_verification_form_explains_a_malformed_code(client):
    response = client.get(reverse("certificates:verify_form"), {"code": "ABCD-1234"})
    assert response.status_code == 200
    assert "bon format" in response.content.decode()
    assert 'value="ABCD-1234"' in response.content.decode()  # what was typed is kept
    assert escape(forms.CODE_MALFORMED) in response.content.decode()


def test_verification_form_page(client):
    response = client.get(reverse("certificates:verify_form"))
    assert response.status_code == 200
    assert "Code de vérification" in response.content.decode()


def test_verification_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr(views, "LOOKUP_LIMIT", 3)
    url = reverse("certificates:verify", args=["AAAA-BBBB-CCCC-DDDD"])
    client.defaults["REMOTE_ADDR"] = "198.51.100.23"
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert escape(views.TOO_MANY_LOOKUPS) in client.get(url).content.decode()


# --- Status and download -----------------------------------------------------------------------------
def test_member_sees_the_status_page_of_a_pending_document_polling(
    vendor_client_factory, django_assert_max_num_queries
):
    certificate = certificate_from_snapshot()
    member = vendor_client_factory(company=certificate.company)
    with django_assert_max_num_queries(8):
        response = member.get(status_url(certificate), **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-hx-trigger="every 2s"' in content and "<progress" in content
    assert "<html" not in content


def test_ready_document_stops_polling_and_offers_the_download(vendor_client_factory, ready_certificate):
    member = vendor_client_factory(company=ready_certificate.company)
    content = member.get(status_url(ready_certificate), **HTMX).content.decode()
    assert "hx-trigger" not in content
    assert download_url(ready_certificate) in content


def test_status_full_page_without_htmx(vendor_client_factory, ready_certificate):
    member = vendor_client_factory(company=ready_certificate.company)
    response = member.get(status_url(ready_certificate))
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_member_downloads_the_pdf(vendor_client_factory, ready_certificate, django_assert_max_num_queries):
    member = vendor_client_factory(role="salarie", company=ready_certificate.company)
    with django_assert_max_num_queries(8):
        response = member.get(download_url(ready_certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ready_certificate.display_code in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_reviewer_downloads_the_pdf(reviewer_client, ready_certificate):
    assert reviewer_client.get(download_url(ready_certificate)).status_code == 200


def test_outsider_gets_404(vendor_client_factory, ready_certificate):
    outsider = vendor_client_factory()
    assert outsider.get(download_url(ready_certificate)).status_code == 404
    assert outsider.get(status_url(ready_certificate)).status_code == 404


def test_former_member_gets_404(vendor_client_factory, ready_certificate):
    former = vendor_client_factory(company=ready_certificate.company)
    former.membership.is_active = False
    former.membership.save()
    assert former.get(download_url(ready_certificate)).status_code == 404


def test_anonymous_is_sent_to_login(client, ready_certificate):
    response = client.get(download_url(ready_certificate))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_pending_document_cannot_be_downloaded(vendor_client_factory):
    certificate = certificate_from_snapshot()
    member = vendor_client_factory(company=certificate.company)
    assert member.get(download_url(certificate)).status_code == 404


# --- Request -----------------------------------------------------------------------------------------
def request_url(assessment, kind="attestation"):
    return reverse("certificates:request", args=[assessment.public_id, kind])


def test_member_requests_an_attestation(
    vendor_client_factory, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    assessment = AssessmentFactory(validated=True, mixed=True)
    assessment_structure(assessment)  # the questionnaire definition, cached once per published version
    member = vendor_client_factory(company=assessment.product_version.product.company)
    with django_capture_on_commit_callbacks() as callbacks, django_assert_max_num_queries(13):
        response = member.post(request_url(assessment))
    certificate = Certificate.objects.get()
    assert response.status_code == 302 and response["Location"] == status_url(certificate)
    assert certificate.requested_by == member.user
    assert len(callbacks) == 1


def test_htmx_request_returns_the_status_fragment(vendor_client_factory, django_capture_on_commit_callbacks):
    assessment = AssessmentFactory(mixed=True)
    member = vendor_client_factory(company=assessment.product_version.product.company)
    with django_capture_on_commit_callbacks():
        response = member.post(request_url(assessment, "rapport"), **HTMX)
    assert 'data-hx-trigger="every 2s"' in response.content.decode()


def test_attestation_of_a_draft_is_refused_with_a_message(vendor_client_factory):
    assessment = AssessmentFactory(mixed=True)
    member = vendor_client_factory(company=assessment.product_version.product.company)
    response = member.post(request_url(assessment), {"next": "/espace/"}, follow=False)
    assert response.status_code == 302 and response["Location"] == "/espace/"
    assert not Certificate.objects.exists()
    response = member.post(request_url(assessment), **HTMX)
    assert escape(services.ATTESTATION_NEEDS_VALIDATION) in response.content.decode()


def test_request_ignores_an_unsafe_next(vendor_client_factory):
    assessment = AssessmentFactory(mixed=True)
    member = vendor_client_factory(company=assessment.product_version.product.company)
    response = member.post(request_url(assessment), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_outsider_cannot_request(vendor_client_factory):
    assert (
        vendor_client_factory().post(request_url(AssessmentFactory(validated=True, mixed=True))).status_code
        == 404
    )


def test_unknown_kind_is_404(vendor_client_factory):
    assessment = AssessmentFactory(validated=True, mixed=True)
    member = vendor_client_factory(company=assessment.product_version.product.company)
    assert member.post(request_url(assessment, "diplome")).status_code == 404


def test_request_is_post_only(vendor_client_factory):
    assessment = AssessmentFactory(validated=True, mixed=True)
    member = vendor_client_factory(company=assessment.product_version.product.company)
    assert member.get(request_url(assessment)).status_code == 405
    assert not Certificate.objects.exists()


# --- Revocation ----------------------------------------------------------------------------------------
def revoke_url(certificate):
    return reverse(
        "review:assessments:revoke", args=[certificate.assessment.public_id, certificate.public_id]
    )


def test_vendor_cannot_revoke(vendor_client_factory, ready_certificate):
    member = vendor_client_factory(role="mandataire", company=ready_certificate.company)
    assert member.post(revoke_url(ready_certificate), {"reason": "Je veux"}).status_code == 403
    assert not Certificate.objects.get().is_revoked


def test_reviewer_revokes_with_a_reason(reviewer_client, ready_certificate, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert reviewer_client.get(revoke_url(ready_certificate)).status_code == 200
    response = reviewer_client.post(revoke_url(ready_certificate), {"reason": "Déclaration inexacte"})
    assert response.status_code == 302
    assessment_page = reverse("review:assessments:detail", args=[ready_certificate.assessment.public_id])
    assert response["Location"] == f"{assessment_page}#documents"
    certificate = Certificate.objects.get()
    assert certificate.is_revoked and certificate.revocation_reason == "Déclaration inexacte"
    assert (HistoryAction.REVOKED, str(reviewer_client.user)) in [
        (e.action, e.actor) for e in certificate_history(certificate=certificate)
    ]


def test_revocation_without_reason_is_refused_and_nothing_changes(reviewer_client, ready_certificate):
    response = reviewer_client.post(revoke_url(ready_certificate), {"reason": ""})
    assert response.status_code == 200
    assert "Indiquez le motif de la révocation." in response.content.decode()
    assert not Certificate.objects.get().is_revoked


def test_reviewer_without_second_factor_is_sent_to_verify_it(client, ready_certificate):
    reviewer, _device = make_reviewer()
    verified_login(client, reviewer)  # logged in, second factor not passed in this session
    response = client.get(download_url(ready_certificate))
    assert response.status_code == 302 and "/compte/" in response["Location"]


def test_member_who_has_not_accepted_the_terms_is_sent_to_them(vendor_client_factory, ready_certificate):
    member = vendor_client_factory(company=ready_certificate.company)
    current = TermsVersion.objects.order_by("-version").first()
    TermsVersion.objects.create(version=current.version + 1, text="Nouvelle version.")
    response = member.get(download_url(ready_certificate))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:terms"))


def test_request_button_posts_to_the_request_view():
    assessment = AssessmentFactory(validated=True, mixed=True)
    html = render_to_string(
        "certificates/includes/certificate_request_button.html",
        {
            "assessment": assessment,
            "kind": "rapport",
            "label": "Télécharger le rapport",
            "next": "/espace/",
            "csrf_token": "jeton",
        },
    )
    url = reverse("certificates:request", args=[assessment.public_id, "rapport"])
    assert f'action="{url}"' in html and f'data-hx-post="{url}"' in html
    assert 'value="jeton"' in html and "Télécharger le rapport" in html


def test_admin_lists_documents_read_only(admin_client, admin_user, ready_certificate):
    accept_current_terms(admin_user)
    # The admin site wants the second factor passed in the session.
    verified_login(admin_client, admin_user, TOTPDeviceFactory(user=admin_user))
    response = admin_client.get(
        reverse("admin:certificates_certificate_changelist"), {"q": ready_certificate.code}
    )
    assert response.status_code == 200
    assert ready_certificate.display_code in response.content.decode()
    change = admin_client.get(reverse("admin:certificates_certificate_change", args=[ready_certificate.pk]))
    assert change.status_code == 200
    assert (
        admin_client.post(
            reverse("admin:certificates_certificate_delete", args=[ready_certificate.pk])
        ).status_code
        == 403
    )
