"""One client address everywhere: REMOTE_ADDR, or X-Forwarded-For behind a declared number of proxies."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from certificates import views as certificate_views
from core.client_ip import client_ip_address
from tests.accounts.factories import TEST_PASSWORD, UserFactory

PROXY = "10.0.0.2"


def address(forwarded_for: str | None, remote_addr: str = PROXY) -> str:
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_ip_address(RequestFactory().get("/", **extra))


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored():
    assert address("198.51.100.66", remote_addr="203.0.113.5") == "203.0.113.5"
    assert address(None, remote_addr="203.0.113.5") == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_entry_it_appended_is_used():
    assert address("198.51.100.7") == "198.51.100.7"
    # The client sent its own header; the proxy appended the real address: the left part is forged.
    assert address("6.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert address("2001:db8::1") == "2001:db8::1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_used():
    assert address("6.6.6.6, 198.51.100.7, 10.0.0.1") == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_header_the_proxies_did_not_write_falls_back_to_remote_addr():
    assert address("198.51.100.7") == PROXY  # shorter than the declared chain
    assert address("pas-une-adresse, 10.0.0.1") == PROXY
    assert address(None) == PROXY


def login(client, email, password, forwarded_for):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_lockout_behind_a_proxy_is_keyed_on_the_forwarded_client(client):
    user = UserFactory()
    for _ in range(3):
        login(client, user.email, "mauvais-mot-de-passe", forwarded_for="198.51.100.7")
    assert login(client, user.email, TEST_PASSWORD, forwarded_for="198.51.100.7").status_code == 429
    # Another client behind the same proxy is not locked out with the attacker.
    assert login(client, user.email, TEST_PASSWORD, forwarded_for="198.51.100.8").status_code == 302


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=0, AXES_FAILURE_LIMIT=3)
def test_lockout_without_proxy_ignores_a_rotating_forged_header(client):
    user = UserFactory()
    for n in range(3):
        login(client, user.email, "mauvais-mot-de-passe", forwarded_for=f"198.51.100.{n}")
    assert login(client, user.email, TEST_PASSWORD, forwarded_for="198.51.100.99").status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_verification_rate_limit_uses_the_same_address(client, monkeypatch):
    monkeypatch.setattr(certificate_views, "LOOKUP_LIMIT", 2)
    url = reverse("certificates:verify", args=["AAAA-BBBB-CCCC-DDDD"])

    def status(forwarded_for):
        return client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert [status("198.51.100.30") for _ in range(3)] == [404, 404, 429]
    assert status("198.51.100.31") == 404  # another person behind the same proxy
    assert status("6.6.6.6, 198.51.100.30") == 429  # a forged prefix changes nothing
