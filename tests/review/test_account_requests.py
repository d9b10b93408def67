"""/instruction/demandes-de-compte/: reviewers list, open, download, approve and reject requests."""

import pytest
from django.core import mail
from django.urls import reverse

from companies import services
from companies.models import AccountRequest, Membership, Role
from tests.accounts.helpers import make_reviewer, verified_login
from tests.companies.factories import AccountRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db

LIST = reverse("review:account_requests:list")


def url(name, account_request):
    return reverse(f"review:account_requests:{name}", kwargs={"public_id": account_request.public_id})


def html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.fixture
def mandataire(vendor_client_factory):
    return vendor_client_factory(role=Role.MANDATAIRE)


@pytest.fixture
def salarie(vendor_client_factory, mandataire):
    return vendor_client_factory(role=Role.SALARIE, company=mandataire.company)


@pytest.mark.parametrize("name", ["list", "detail", "document", "approve", "reject"])
def test_vendors_get_403_and_anonymous_the_login_page(client, mandataire, salarie, name):
    request = AccountRequestFactory()
    target = LIST if name == "list" else url(name, request)
    method = "post" if name in {"approve", "reject"} else "get"
    for vendor in (mandataire, salarie):
        assert getattr(vendor, method)(target).status_code == 403
    response = getattr(client, method)(target)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert AccountRequest.objects.get().status == "pending"


def test_reviewer_without_second_factor_is_sent_to_verify_it(client):
    user, _device = make_reviewer()
    verified_login(client, user)
    response = client.get(LIST)
    assert response.url.startswith(reverse("accounts:second_factor_verify"))


@pytest.mark.parametrize("rows", [3, 25])
def test_list_shows_pending_oldest_first_in_constant_queries(
    reviewer_client, rows, django_assert_max_num_queries
):
    requests = AccountRequestFactory.create_batch(rows)
    AccountRequestFactory(
        status="rejected",
        decided_by=reviewer_client.user,
        decided_at="2026-01-01T00:00Z",
        decision_reason="Non",
    )
    with django_assert_max_num_queries(8):
        response = reviewer_client.get(LIST)
    page = html(response)
    shown = [r for r in requests[:20] if r.company_name in page]
    assert len(shown) == min(rows, 20)
    assert page.index(requests[0].company_name) < page.index(requests[min(rows, 20) - 1].company_name)
    assert f"{rows} demande" in page
    if rows > 20:
        assert "Page suivante" in page
        assert requests[-1].company_name in html(reviewer_client.get(LIST + "?page=2"))


def test_bad_page_number_does_not_crash(reviewer_client):
    AccountRequestFactory()
    assert reviewer_client.get(LIST + "?page=abc").status_code == 200
    assert reviewer_client.get(LIST + "?page=999").status_code == 200


def test_detail_and_document(reviewer_client, django_assert_max_num_queries):
    request = AccountRequestFactory(company_name="Clinique Logicielle")
    with django_assert_max_num_queries(8):
        response = reviewer_client.get(url("detail", request))
    assert "Clinique Logicielle" in html(response) and request.email in html(response)
    document = reviewer_client.get(url("document", request))
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert b"".join(document.streaming_content).startswith(b"%PDF-")
    assert "attachment" in document["Content-Disposition"]


def test_unknown_request_is_a_404(reviewer_client):
    assert (
        reviewer_client.get(
            "/instruction/demandes-de-compte/00000000-0000-0000-0000-000000000000/"
        ).status_code
        == 404
    )


def test_approve_from_the_page(reviewer_client, django_capture_on_commit_callbacks):
    request = AccountRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(url("approve", request), follow=True)
    assert "La demande est acceptée" in html(response)
    membership = Membership.objects.select_related("company", "user").get()
    assert membership.role == Role.MANDATAIRE and membership.user.email == request.email
    request.refresh_from_db()
    assert request.decided_by == reviewer_client.user
    assert len(mail.outbox) == 1
    # Deciding again changes nothing and says why.
    response = reviewer_client.post(url("approve", request), follow=True)
    assert "déjà été traitée" in html(response) and Membership.objects.count() == 1


def test_reject_needs_a_reason_and_keeps_it_on_error(reviewer_client, django_capture_on_commit_callbacks):
    request = AccountRequestFactory()
    response = reviewer_client.post(url("reject", request), {"reason": ""})
    assert response.status_code == 400 and "Indiquez le motif du refus" in html(response)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            url("reject", request), {"reason": "Le justificatif ne mentionne pas le demandeur."}
        )
    request.refresh_from_db()
    assert request.status == "rejected" and request.decided_by == reviewer_client.user
    assert "ne mentionne pas le demandeur" in mail.outbox[0].body
    page = html(reviewer_client.get(url("detail", request)))
    assert "Refusée" in page and "ne mentionne pas le demandeur" in page


def test_approving_when_the_company_became_active_meanwhile_is_refused(reviewer_client):
    request = AccountRequestFactory()
    MembershipFactory(company__siren=request.siren)
    response = reviewer_client.post(url("approve", request), follow=True)
    assert "déjà un compte actif" in html(response)
    request.refresh_from_db()
    assert request.status == "pending"


def test_approving_a_request_with_a_non_ascii_siren_says_why_instead_of_failing(reviewer_client):
    request = AccountRequestFactory(siren="７３２８２９３２０")  # recorded before ASCII digits were required
    response = reviewer_client.post(url("approve", request), follow=True)
    assert response.status_code == 200
    assert services.REQUEST_SIREN_INVALID in html(response)
    request.refresh_from_db()
    assert request.status == "pending" and not Membership.objects.exists()


@pytest.mark.parametrize("rows", [2, 25])
def test_decision_log_lists_who_decided_what(reviewer_client, rows, django_assert_max_num_queries):
    for index in range(rows):
        request = AccountRequestFactory()
        services.account_request_reject(
            account_request=request, reviewer=reviewer_client.user, reason=f"Motif {index}"
        )
    AccountRequestFactory(company_name="Encore en attente")
    with django_assert_max_num_queries(8):
        response = reviewer_client.get(reverse("review:account_requests:decided"))
    page = html(response)
    assert f"Motif {rows - 1}" in page and "Refusée" in page and "Encore en attente" not in page
    assert (reviewer_client.user.get_full_name() or reviewer_client.user.email) in page


def test_vendor_cannot_read_the_decision_log(vendor_client_factory):
    assert (
        vendor_client_factory(role=Role.MANDATAIRE)
        .get(reverse("review:account_requests:decided"))
        .status_code
        == 403
    )
