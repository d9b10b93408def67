import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import reviewer_required
from accounts.second_factor import PENDING_SESSION_KEY
from accounts.services import REVIEWER_SECOND_FACTOR_MANDATORY
from tests.accounts.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, make_reviewer, totp_code, verified_login

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.test_second_factor")]


@reviewer_required
def back_office_page(request):
    return HttpResponse("back-office")


# The project's pages (the layout links to several of them) and one back-office page to reach.
urlpatterns = [
    path("instruction/essai/", back_office_page, name="back_office_page"),
    *__import__("convergence.urls").urls.urlpatterns,
]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/instruction/essai/")
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_vendor_gets_403(client):
    user = UserFactory()
    accept_current_terms(user)
    verified_login(client, user)
    assert client.get("/instruction/essai/").status_code == 403


def test_reviewer_without_device_is_sent_to_set_up(client):
    user = UserFactory(reviewer=True)
    accept_current_terms(user)
    verified_login(client, user)
    response = client.get("/instruction/essai/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:second_factor_setup"))


def test_reviewer_with_device_not_verified_is_asked_for_a_code(client):
    user, _device = make_reviewer()
    verified_login(client, user)
    response = client.get("/instruction/essai/")
    assert response.url.startswith(reverse("accounts:second_factor_verify"))
    assert "next=%2Finstruction%2Fessai%2F" in response.url


def test_verified_reviewer_sees_the_page(reviewer_client):
    assert reviewer_client.get("/instruction/essai/").content == b"back-office"


def test_reviewer_sets_up_totp_then_reaches_the_back_office(client):
    user = UserFactory(reviewer=True)
    accept_current_terms(user)
    verified_login(client, user)
    setup = reverse("accounts:second_factor_setup")
    assert "Générer mon QR code" in client.get(setup).content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()  # GET never writes
    client.post(reverse("accounts:second_factor_start"), {"next": "/instruction/essai/"})
    page = client.get(setup).content.decode()
    assert "<svg" in page and 'role="img"' in page
    device = TOTPDevice.objects.get(user=user)
    assert client.post(setup, {"token": "000000", "next": "/"}).status_code == 200
    response = client.post(setup, {"token": totp_code(device), "next": "/instruction/essai/"})
    codes = response.context["codes"]
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get("/instruction/essai/").content == b"back-office"


def test_set_up_cannot_replace_a_device_without_verifying_it(client):
    user, device = make_reviewer()
    verified_login(client, user)
    response = client.post(reverse("accounts:second_factor_start"))
    assert response.url.startswith(reverse("accounts:second_factor_verify"))
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_recovery_code_works_once(client):
    user, _device = make_reviewer()
    static = user.staticdevice_set.create(name="Codes de secours")
    static.token_set.create(token="abcd1234")
    verified_login(client, user)
    verify = reverse("accounts:second_factor_verify")
    response = client.post(verify, {"token": "abcd1234", "next": "/instruction/essai/"})
    assert response.status_code == 302
    assert client.get("/instruction/essai/").content == b"back-office"
    other = verified_login(Client(), user)
    response = other.post(verify, {"token": "abcd1234"})
    assert "Ce code n&#x27;est pas valide ou a déjà été utilisé." in response.content.decode()


def test_vendor_with_second_factor_must_enter_a_code_at_login(client):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    accept_current_terms(user)
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})
    assert client.session[PENDING_SESSION_KEY] is True
    response = client.get(response.url)
    assert response.url.startswith(reverse("accounts:second_factor_verify"))
    client.post(reverse("accounts:second_factor_verify"), {"token": totp_code(device)})
    assert PENDING_SESSION_KEY not in client.session


def test_reviewer_cannot_disable_second_factor(reviewer_client):
    response = reviewer_client.post(reverse("accounts:second_factor_disable"), follow=True)
    assert REVIEWER_SECOND_FACTOR_MANDATORY in response.content.decode().replace("&#x27;", "'")
    assert TOTPDevice.objects.filter(user=reviewer_client.user).exists()


def test_vendor_can_disable_second_factor(client):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    accept_current_terms(user)
    verified_login(client, user, device)
    client.post(reverse("accounts:second_factor_disable"))
    assert not TOTPDevice.objects.filter(user=user).exists()
