"""The access chain (accounts/access.py) seen from a browser's requests."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from accounts.second_factor import PENDING_SESSION_KEY
from certificates.models import Certificate
from certificates.services import certificate_request
from tests.accounts.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, totp_code, verified_login
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def undeclared_view(request):
    return HttpResponse("page sans déclaration")


# For the test of a view that declares no access level (the project's own URLs all declare one).
urlpatterns = [
    path("sans-declaration/", undeclared_view),
    path("compte/", include("accounts.urls")),
    path("", lambda request: HttpResponse("accueil"), name="home"),
]


@pytest.mark.urls("tests.accounts.test_access")
def test_a_view_that_declares_nothing_gets_the_whole_chain():
    url = "/sans-declaration/"
    assert Client().get(url).url.startswith(reverse("accounts:login"))
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    password_only = verified_login(Client(), user)  # the login marks the session: a device exists
    assert password_only.get(url).url.startswith(reverse("accounts:second_factor_verify"))
    verified = verified_login(Client(), user, device)
    assert verified.get(url).url.startswith(reverse("accounts:terms"))
    accept_current_terms(user)
    assert verified.get(url).content.decode() == "page sans déclaration"


def _password_only_vendor():
    """A vendor with TOTP enabled who signed in with the login form and typed no code yet."""
    membership = MembershipFactory(mandataire=True)
    device = TOTPDeviceFactory(user=membership.user)
    accept_current_terms(membership.user)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": membership.user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and client.session[PENDING_SESSION_KEY] is True
    return client, membership, device


def test_password_only_vendor_reaches_nothing_but_the_second_factor_pages():
    client, membership, device = _password_only_vendor()
    assessment = AssessmentFactory(
        validated=True, mixed=True, product_version__product__company=membership.company, items=3
    )
    certificate = certificate_request(assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=None)
    product = assessment.product_version.product
    stopped = [
        reverse("accounts:terms"),
        reverse("portal:home"),
        reverse("portal:product_panels:history", args=[product.public_id]),
        reverse("portal:product_panels:comparison", args=[product.public_id]),
        reverse("certificates:status", args=[certificate.public_id]),
        reverse("certificates:download", args=[certificate.public_id]),
        reverse("home"),
    ]
    for url in stopped:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:second_factor_verify")), url
    assert client.get(reverse("accounts:second_factor_verify")).status_code == 200
    assert client.get(reverse("accounts:second_factor")).status_code == 200

    client.post(reverse("accounts:second_factor_verify"), {"token": totp_code(device)})
    assert client.get(reverse("portal:product_panels:history", args=[product.public_id])).status_code == 200


def test_password_only_vendor_can_log_out():
    client, _membership, _device = _password_only_vendor()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_request_of_an_expired_session_gets_401_without_swap():
    assessment = AssessmentFactory(mixed=True, items=3)
    item = assessment.questionnaire_version.items.order_by("pk").first()
    url = reverse("portal:assessments:answer_save", args=[assessment.public_id, item.code])
    response = Client().post(url, {"level": "vert"}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"
    assert response.content == b""


def test_normal_request_of_an_expired_session_goes_to_the_login_page():
    url = reverse("portal:products:list")
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_a_session_opened_before_the_second_factor_was_switched_on_owes_it():
    """Signed in with the password alone, then the second factor confirmed from another session (or
    before a deployment that knew no session mark): this session is stopped at the code page too."""
    from accounts import services

    membership = MembershipFactory()
    accept_current_terms(membership.user)
    client = Client()
    client.post(reverse("accounts:login"), {"username": membership.user.email, "password": TEST_PASSWORD})
    assert client.get(reverse("portal:home")).status_code == 200

    device = services.totp_device_start(user=membership.user)
    recovery_codes = services.totp_device_confirm(device=device, token=totp_code(device))

    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:second_factor_verify"))
    # A TOTP code is single use within its time step: a recovery code passes here.
    client.post(reverse("accounts:second_factor_verify"), {"token": recovery_codes[0]})
    assert client.get(reverse("portal:home")).status_code == 200


def test_switching_the_second_factor_off_releases_the_sessions():
    from accounts import services

    membership = MembershipFactory()
    accept_current_terms(membership.user)
    device = services.totp_device_start(user=membership.user)
    services.totp_device_confirm(device=device, token=totp_code(device))
    services.second_factor_disable(user=membership.user)
    membership.user.refresh_from_db()
    assert membership.user.has_second_factor is False
    client = Client()
    client.post(reverse("accounts:login"), {"username": membership.user.email, "password": TEST_PASSWORD})
    assert client.get(reverse("portal:home")).status_code == 200
