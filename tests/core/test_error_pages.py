"""Production error pages (DEBUG off): French, DSFR, and a 403 says why access is refused."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core import errors
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.companies.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


@pytest.fixture(autouse=True)
def _production():
    with override_settings(DEBUG=False):
        yield


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def assert_dsfr_page(response, status: int, title: str, message: str):
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="fr"' in html
    assert 'class="fr-header"' in html and "/static/dsfr/" in html
    assert f"<h1>{title}</h1>" in html
    assert f"Erreur {status}" in html
    assert message.replace("'", "&#x27;") in html
    return html


def vendor_client():
    membership = MembershipFactory()
    accept_current_terms(membership.user)
    client = verified_login(Client(raise_request_exception=False), membership.user)
    client.user = membership.user
    return client


def test_404_is_french_and_keeps_the_site_header(client):
    response = client.get("/page-qui-n-existe-pas/")
    html = assert_dsfr_page(response, 404, "Page introuvable", errors.NOT_FOUND)
    assert "Se connecter" in html
    assert "Not Found" not in html


def test_404_of_a_signed_in_person_shows_who_is_signed_in():
    client = vendor_client()
    response = client.get(reverse("portal:products:detail", args=["00000000-0000-0000-0000-000000000000"]))
    html = assert_dsfr_page(response, 404, "Page introuvable", errors.NOT_FOUND)
    assert "Se déconnecter" in html


def test_403_keeps_the_permission_message():
    client = vendor_client()
    response = client.get(reverse("review:dashboard:index"))
    html = assert_dsfr_page(
        response, 403, "Accès refusé", "Cette page est réservée aux instructeurs de l'agence."
    )
    assert errors.FORBIDDEN.replace("'", "&#x27;") not in html


def test_403_without_a_reason_says_access_is_refused(client):
    response = client.get("/test/interdit/")
    assert_dsfr_page(response, 403, "Accès refusé", errors.FORBIDDEN)


def test_500_is_french_and_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/test/panne/")
    html = assert_dsfr_page(response, 500, "Erreur du serveur", errors.SERVER_ERROR)
    assert "Panne simulée" not in html  # nothing of the exception reaches the page


def test_400_for_a_suspicious_request(client):
    response = client.get("/test/suspect/")
    html = assert_dsfr_page(response, 400, "Requête incorrecte", errors.BAD_REQUEST)
    assert "Requête forgée" not in html


def test_400_for_a_host_not_served(client):
    response = client.get("/", HTTP_HOST="attaquant.example")
    assert_dsfr_page(response, 400, "Requête incorrecte", errors.BAD_REQUEST)


def test_csrf_failure_without_the_cookie_asks_to_allow_cookies():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post(reverse("accounts:login"), {"username": "a@example.fr", "password": "x"})
    assert_dsfr_page(response, 403, "Page expirée", errors.CSRF_NO_COOKIE)


def test_csrf_failure_with_a_stale_token_explains_the_page_expired():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("accounts:login"))  # sets the CSRF cookie
    response = client.post(
        reverse("accounts:login"),
        {"username": "a@example.fr", "password": "x", "csrfmiddlewaretoken": "x" * 64},
    )
    assert_dsfr_page(response, 403, "Page expirée", errors.CSRF_EXPIRED)
