"""Per-account throttle: many addresses cannot guess freely, nor lock the owner out."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accounts.login_throttle import LOGIN_THROTTLED
from accounts.models import KnownLoginAddress
from tests.accounts.factories import TEST_PASSWORD, TermsVersionFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
OWNER_HOME = "192.0.2.10"


@pytest.fixture(autouse=True)
def limits(settings):
    TermsVersionFactory(version=1)
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 5
    settings.LOGIN_ACCOUNT_FAILURE_WINDOW = timedelta(hours=1)
    return settings


def login(client, email, password, address):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def attack(client_class, email, addresses=range(5)) -> list[int]:
    """One wrong password from each of many addresses: never enough for axes' per-address lock."""
    return [
        login(client_class(), email, "mauvais-mot-de-passe", f"198.51.100.{n}").status_code for n in addresses
    ]


def test_attacker_from_many_addresses_is_throttled(client):
    user = UserFactory()
    assert attack(client.__class__, user.email) == [200] * 5
    # Even the right password gets no answer from yet another address.
    response = login(client, user.email, TEST_PASSWORD, "198.51.100.200")
    assert response.status_code == 429
    assert LOGIN_THROTTLED in response.content.decode().replace("&#x27;", "'")
    assert not signed_in(client)


def test_owner_at_a_known_address_is_not_locked_out(client):
    user = UserFactory()
    assert login(client, user.email, TEST_PASSWORD, OWNER_HOME).status_code == 302
    client.logout()
    assert attack(client.__class__, user.email, addresses=range(20)) == [200] * 5 + [429] * 15
    assert login(client, user.email, TEST_PASSWORD, OWNER_HOME).status_code == 302
    assert signed_in(client)


def test_unknown_account_is_throttled_the_same_way(client):
    attack(client.__class__, "personne@inconnue.test")
    assert login(client, "personne@inconnue.test", "x", "198.51.100.200").status_code == 429


def test_the_e_mailed_reset_link_lets_the_owner_in_from_a_new_address(client):
    user = UserFactory()
    attack(client.__class__, user.email)
    travelling = "203.0.113.44"
    client.post(reverse("accounts:password_reset"), {"email": user.email}, REMOTE_ADDR=travelling)
    link = next(word for word in mail.outbox[0].body.split() if "/compte/mot-de-passe/" in word)
    set_url = client.get(link, REMOTE_ADDR=travelling, follow=True).redirect_chain[-1][0]
    new_password = "Tournesol-Bleu-2031"
    response = client.post(
        set_url, {"new_password1": new_password, "new_password2": new_password}, REMOTE_ADDR=travelling
    )
    assert response.status_code == 302
    client.logout()
    assert login(client, user.email, new_password, travelling).status_code == 302
    assert login(client.__class__(), user.email, new_password, "198.51.100.201").status_code == 429


def test_known_addresses_are_stored_as_digests(client):
    user = UserFactory()
    login(client, user.email, TEST_PASSWORD, OWNER_HOME)
    [known] = KnownLoginAddress.objects.filter(user=user)
    assert OWNER_HOME not in known.address_digest and len(known.address_digest) == 64


def test_throttle_lifts_when_the_window_closes(client, limits):
    # Few failures and a short window, so that the test does not depend on the machine's speed.
    limits.LOGIN_ACCOUNT_FAILURE_LIMIT = 2
    limits.LOGIN_ACCOUNT_FAILURE_WINDOW = timedelta(seconds=8)
    user = UserFactory()
    attack(client.__class__, user.email, addresses=range(1))
    window_opened_before = time.monotonic()  # the first failure has been counted by now
    attack(client.__class__, user.email, addresses=range(1, 2))
    assert login(client, user.email, TEST_PASSWORD, "198.51.100.200").status_code == 429
    time.sleep(max(0.0, window_opened_before + 8.2 - time.monotonic()))
    assert login(client, user.email, TEST_PASSWORD, "198.51.100.200").status_code == 302
