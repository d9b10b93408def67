"""The public account-request page and the services that decide a request."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from companies import services
from companies.models import AccountRequest, Company, Membership, Role
from companies.selectors import ACTIVE_COMPANY_EXISTS, REQUEST_ALREADY_PENDING
from portal.account_requests.forms import DOCUMENT_NOT_PDF, DOCUMENT_REATTACH, DOCUMENT_TOO_BIG
from tests.accounts.factories import UserFactory
from tests.companies.factories import AccountRequestFactory, CompanyFactory, MembershipFactory, pdf_file

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
