"""The public account-request page and the services that decide a request."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from companies import services
from companies.identifiers import IDENTIFIER_INVALID
from companies.models import AccountRequest, Company, Membership, Role
from companies.selectors import ACTIVE_COMPANY_EXISTS, REQUEST_ALREADY_PENDING
from core.body_limit import BODY_TOO_LARGE
from portal.account_requests import views
from portal.account_requests.forms import (
    DOCUMENT_NOT_PDF,
    DOCUMENT_REATTACH,
    DOCUMENT_TOO_BIG,
    HONEYPOT_CLASS,
    HONEYPOT_FIELD,
)
from tests.accounts.factories import UserFactory
from tests.companies.factories import (
    AccountRequestFactory,
    CompanyFactory,
    MembershipFactory,
    pdf_bytes,
    pdf_file,
)

pytestmark = pytest.mark.django_db

URL = "/demande-de-compte/"


def form_data(**overrides):
    data = {
        "identifier": "732 829 320 00074",
        "company_name": "Éditions Médicales d'Exemple",
        "address": "10 avenue de Ségur\n75007 Paris",
        "first_name": "Anne",
        "last_name": "Lemaire",
        "email": "Anne.Lemaire@Exemple.fr",
        "phone": "01 23 45 67 89",
        "position": "Présidente",
        "certified": "on",
        "document": pdf_file(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def html(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_page_is_public_and_in_french(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200
    assert "Demander l'ouverture du compte de votre entreprise" in html(response)


def test_valid_request_is_recorded_and_acknowledged(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    assert response.status_code == 302 and response.url == reverse("account_requests:sent")
    request = AccountRequest.objects.get()
    assert (request.siren, request.siret, request.email) == (
        "732829320",
        "73282932000074",
        "anne.lemaire@exemple.fr",
    )
    assert request.status == AccountRequest.Status.PENDING and request.certified
    assert request.document.read().startswith(b"%PDF-")
    assert request.document.name == f"account_requests/{request.public_id}.pdf"
    [message] = mail.outbox
    assert message.to == ["anne.lemaire@exemple.fr"]
    assert "bien reçue" in message.subject and "Éditions Médicales d'Exemple" in message.subject
    assert "732829320" in message.body
    assert message.alternatives[0][1] == "text/html" and "<strong>" in message.alternatives[0][0]


def test_bad_siren_is_refused_and_the_form_comes_back_filled(client):
    response = client.post(URL, form_data(identifier="732829321"))
    page = html(response)
    assert response.status_code == 200
    assert "clé de contrôle doit être valide" in page
    assert 'value="Anne"' in page and "Éditions Médicales d'Exemple" in page
    assert DOCUMENT_REATTACH in page
    assert not AccountRequest.objects.exists()


def test_file_that_is_not_a_pdf_is_refused_whatever_its_name(client):
    fake = SimpleUploadedFile("kbis.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(URL, form_data(document=fake))
    assert DOCUMENT_NOT_PDF in html(response)
    assert not AccountRequest.objects.exists()


def test_file_over_5_mb_is_refused(client):
    big = SimpleUploadedFile(
        "kbis.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
    )
    response = client.post(URL, form_data(document=big))
    assert DOCUMENT_TOO_BIG in html(response)
    assert not AccountRequest.objects.exists()


def test_missing_certification_is_refused(client):
    response = client.post(URL, form_data(certified=None))
    assert "Vous devez certifier être habilité(e)" in html(response)


def test_company_with_active_account_is_detected_without_revealing_members(client):
    company = CompanyFactory(siren="732829320")
    MembershipFactory(
        company=company, mandataire=True, user=UserFactory(email="secret.mandataire@exemple.fr")
    )
    response = client.post(URL, form_data())
    page = html(response)
    assert ACTIVE_COMPANY_EXISTS in page
    assert "secret.mandataire" not in page
    assert not AccountRequest.objects.exists()


def test_pending_request_for_the_same_siren_is_detected(client):
    AccountRequestFactory(siren="732829320")
    response = client.post(URL, form_data(identifier="732829320", email="autre@exemple.fr"))
    assert REQUEST_ALREADY_PENDING in html(response)
    assert AccountRequest.objects.count() == 1


def test_service_refuses_a_duplicate_too():
    AccountRequestFactory(siren="732829320")
    with pytest.raises(ValidationError):
        services.account_request_create(data={"siren": "732829320"}, document=pdf_file())


# --- Decisions -----------------------------------------------------------------------------------
def test_approval_creates_company_user_and_mandataire_and_sends_a_password_link(
    django_capture_on_commit_callbacks,
):
    request = AccountRequestFactory()
    reviewer = UserFactory(reviewer=True)
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.account_request_approve(account_request=request, reviewer=reviewer)
    request.refresh_from_db()
    assert membership.role == Role.MANDATAIRE and membership.is_active
    assert membership.company.siren == request.siren and membership.company.name == request.company_name
    assert membership.user.email == request.email and not membership.user.has_usable_password()
    assert (request.status, request.decided_by, request.company) == ("approved", reviewer, membership.company)
    assert request.decided_at is not None
    [message] = mail.outbox
    assert message.to == [request.email] and "est ouvert" in message.subject
    assert "/compte/mot-de-passe/" in message.body and "72 heures" in message.body


def test_approval_is_all_or_nothing(django_capture_on_commit_callbacks):
    request = AccountRequestFactory(email="instructeur@agence.test")
    UserFactory(email="instructeur@agence.test", is_reviewer=True)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.account_request_approve(account_request=request, reviewer=UserFactory(reviewer=True))
    assert not Company.objects.exists() and not Membership.objects.exists()
    assert AccountRequest.objects.get().status == "pending"
    assert mail.outbox == []


def test_a_request_is_decided_only_once():
    request = AccountRequestFactory()
    reviewer = UserFactory(reviewer=True)
    services.account_request_reject(
        account_request=request, reviewer=reviewer, reason="Justificatif illisible."
    )
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.account_request_approve(account_request=request, reviewer=reviewer)


def test_rejection_needs_a_reason_and_sends_it(django_capture_on_commit_callbacks):
    request = AccountRequestFactory()
    reviewer = UserFactory(reviewer=True)
    with pytest.raises(ValidationError):
        services.account_request_reject(account_request=request, reviewer=reviewer, reason="   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.account_request_reject(
            account_request=request, reviewer=reviewer, reason="Le Kbis a plus de 3 mois."
        )
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_reason) == (
        "rejected",
        reviewer,
        "Le Kbis a plus de 3 mois.",
    )
    [message] = mail.outbox
    assert (
        "Le Kbis a plus de 3 mois." in message.body
        and "Le Kbis a plus de 3 mois." in message.alternatives[0][0]
    )
    assert not User.objects.filter(email=request.email).exists()


def test_approval_of_a_known_person_adds_the_company_to_their_account(django_capture_on_commit_callbacks):
    person = MembershipFactory().user
    request = AccountRequestFactory(email=person.email)
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.account_request_approve(
            account_request=request, reviewer=UserFactory(reviewer=True)
        )
    assert membership.user == person and person.memberships.count() == 2
    assert "/compte/mot-de-passe/" not in mail.outbox[0].body


# --- Hostile input: clear French answers, nothing recorded ---------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Every test of this page starts with no submission counted from the test client's address."""
    views.account_request_throttle_reset(address="127.0.0.1")
    yield
    views.account_request_throttle_reset(address="127.0.0.1")


def test_fullwidth_digit_siren_is_refused_by_the_form(client):
    response = client.post(URL, form_data(identifier="７３２８２９３２０"))
    assert response.status_code == 200
    assert IDENTIFIER_INVALID in html(response)
    assert not AccountRequest.objects.exists()


def test_approval_of_a_stored_non_ascii_siren_is_refused_with_a_message():
    # A request recorded before the form accepted ASCII digits only: approving it used to fail in the
    # database (companies_siren_nine_digits) with an IntegrityError.
    request = AccountRequestFactory(siren="７３２８２９３２０")
    with pytest.raises(ValidationError) as error:
        services.account_request_approve(account_request=request, reviewer=UserFactory(reviewer=True))
    assert error.value.messages == [services.REQUEST_SIREN_INVALID]
    assert not Company.objects.exists() and not Membership.objects.exists()
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.PENDING


def test_page_carries_a_honeypot_hidden_from_people(client):
    page = html(client.get(URL))
    field = re.search(
        r'<div class="([^"]*)" aria-hidden="true">\s*<label[^>]*>[^<]*</label>\s*<input([^>]*)>', page
    )
    assert field and HONEYPOT_CLASS in field.group(1)
    assert f'name="{HONEYPOT_FIELD}"' in field.group(2) and 'tabindex="-1"' in field.group(2)
    assert 'autocomplete="off"' in field.group(2)


def test_filled_honeypot_looks_sent_but_records_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(**{HONEYPOT_FIELD: "https://spam.example"}), follow=True)
    assert response.redirect_chain == [(reverse("account_requests:sent"), 302)]
    assert "anne.lemaire@exemple.fr" in html(response)
    assert not AccountRequest.objects.exists()
    assert mail.outbox == []


def test_submissions_are_throttled_per_address(client, monkeypatch):
    monkeypatch.setattr(views, "REQUEST_LIMIT", 3)
    statuses = [client.post(URL, form_data(identifier="12345")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert views.TOO_MANY_REQUESTS in html(response)
    assert not AccountRequest.objects.exists()
    assert client.get(URL).status_code == 200  # reading the page is not counted
    other = client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7")
    views.account_request_throttle_reset(address="198.51.100.7")
    assert other.status_code == 302


def test_oversize_body_gets_a_french_413_and_records_nothing(client):
    big = SimpleUploadedFile("kbis.pdf", b"%PDF-1.7\n" + b"0" * (7 * 1024 * 1024), "application/pdf")
    response = client.post(URL, form_data(document=big))
    assert response.status_code == 413
    assert escape(BODY_TOO_LARGE.format(size=6)) in response.content.decode()
    assert not AccountRequest.objects.exists()


def test_oversize_body_is_refused_on_its_declared_length_without_being_read(client):
    # The test client's payload raises if more is read than it holds: a body announced as 50 MB but
    # holding a few bytes proves the refusal comes before any read.
    response = client.generic(
        "POST",
        URL,
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert not AccountRequest.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"MZ junk before %PDF-1.7\n" + pdf_bytes(),  # the header must come first
        b"%PDF-1.7\nnot a PDF after its header\n",
        pdf_bytes()[: len(pdf_bytes()) // 2],  # truncated
    ],
)
def test_proof_must_start_with_the_pdf_header_and_parse(client, content):
    fake = SimpleUploadedFile("kbis.pdf", content, content_type="application/pdf")
    response = client.post(URL, form_data(document=fake))
    assert DOCUMENT_NOT_PDF in html(response)
    assert not AccountRequest.objects.exists()
