from datetime import datetime, timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import TermsAcceptance, User
from accounts.services import password_set_url
from tests.accounts.factories import TEST_PASSWORD, TermsVersionFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, make_reviewer, verified_login
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TERMS = reverse("accounts:terms")


def html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.fixture(autouse=True)
def terms_v1():
    """The first version is published by a data migration; a flushed test database may lack it."""
    return TermsVersionFactory(version=1, title="Conditions générales d'utilisation")


def login(client, email, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


# --- Lockout (django-axes) -------------------------------------------------------------------------
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_email_and_ip_pair(client):
    user = UserFactory(email="cible@exemple.fr")
    for _ in range(3):
        login(client, "Cible@Exemple.fr", "mauvais-mot-de-passe")
    response = login(client, user.email)  # the right password no longer helps
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in html(response) and "15 minutes" in html(response)
    assert "_auth_user_id" not in client.session
    # Another address from the same IP, and the same address from another IP, still log in.
    other = UserFactory()
    assert login(client, other.email).status_code == 302
    assert login(client.__class__(), user.email, REMOTE_ADDR="10.1.2.3").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lock_ends_after_the_cool_off(client):
    user = UserFactory()
    for _ in range(3):
        login(client, user.email, "mauvais-mot-de-passe")
    assert login(client, user.email).status_code == 429
    attempt = AccessAttempt.objects.get()
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=attempt.attempt_time - timedelta(minutes=16)
    )
    assert login(client, user.email).status_code == 302


# --- Terms of use ----------------------------------------------------------------------------------
def test_first_visit_requires_accepting_the_terms(client):
    membership = MembershipFactory()
    verified_login(client, membership.user)
    response = client.get("/espace/")
    assert response.status_code == 302 and response.url.startswith(TERMS)
    page = html(client.get(response.url))
    assert "Conditions générales d'utilisation" in page and "Version 1" in page
    response = client.post(TERMS, {"next": "/espace/"})
    assert "Vous devez accepter" in html(response)
    response = client.post(TERMS, {"accept": "on", "next": "/espace/"})
    assert response.url == "/espace/"
    acceptance = TermsAcceptance.objects.get(user=membership.user)
    assert acceptance.terms.version == 1 and acceptance.accepted_at is not None
    assert client.get("/espace/").status_code == 200


def test_new_terms_version_must_be_accepted_again(client):
    membership = MembershipFactory()
    accept_current_terms(membership.user)
    verified_login(client, membership.user)
    assert client.get("/espace/").status_code == 200
    TermsVersionFactory(version=2, text="Nouvelle clause sur les justificatifs.")
    response = client.get("/espace/")
    assert response.url.startswith(TERMS)
    assert "Nouvelle clause sur les justificatifs." in html(client.get(TERMS))
    client.post(TERMS, {"accept": "on"})
    assert sorted(membership.user.terms_acceptances.values_list("terms__version", flat=True)) == [1, 2]
    assert client.get("/espace/").status_code == 200


def test_terms_gate_costs_one_query_and_spares_public_pages(client, django_assert_num_queries):
    user = UserFactory()
    verified_login(client, user)
    # The user; the session comes from the cache; nothing for the terms on a public page.
    with django_assert_num_queries(1):
        client.get("/")
    assert client.get("/demande-de-compte/").status_code == 200


def test_unsafe_next_is_ignored(client):
    user = UserFactory()
    verified_login(client, user)
    response = client.post(TERMS, {"accept": "on", "next": "https://malveillant.example/"})
    assert response.url == "/"


def test_htmx_requests_are_redirected_by_header(client):
    membership = MembershipFactory()
    verified_login(client, membership.user)
    response = client.get("/espace/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(TERMS)


# --- Login flow ------------------------------------------------------------------------------------
def test_member_lands_on_the_portal_after_terms(client):
    membership = MembershipFactory()
    response = login(client, membership.user.email)
    response = client.get(response.url)
    assert response.url.startswith(TERMS)
    response = client.post(TERMS, {"accept": "on", "next": "/espace/"})
    assert client.get(response.url).status_code == 200


def test_admin_demo_style_superuser_can_still_log_in(client):
    User.objects.create_superuser("admin@exemple.fr", TEST_PASSWORD)
    response = login(client, "admin@exemple.fr")
    assert response.status_code == 302 and client.session["_auth_user_id"]


# --- Password links --------------------------------------------------------------------------------
def test_password_link_sets_the_password_once(client):
    user = User.objects.create_user("nouveau@exemple.fr", None, first_name="Léa")
    link = password_set_url(user=user).removeprefix("http://127.0.0.1:8000")
    form_page = client.get(link, follow=True)
    assert "Choisir un mot de passe" in html(form_page)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "nouveau@exemple.fr", "new_password2": "nouveau@exemple.fr"}
    )
    assert response.status_code == 200  # too similar to the e-mail, and too short
    response = client.post(
        set_url, {"new_password1": "Tournesol-Bleu-2031", "new_password2": "Tournesol-Bleu-2031"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tournesol-Bleu-2031")
    client.logout()
    assert "n'est plus valable" in html(client.get(link, follow=True))


def test_password_link_expires_after_72_hours(client):
    user = User.objects.create_user("tard@exemple.fr", None)
    issued = datetime(2026, 3, 1, 10, 0)
    with mock.patch("django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=issued):
        link = password_set_url(user=user).removeprefix("http://127.0.0.1:8000")

    def page_at(moment):
        with mock.patch("django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=moment):
            return html(client.get(link, follow=True))

    assert "Enregistrer mon mot de passe" in page_at(issued + timedelta(hours=71))
    assert "n'est plus valable" in page_at(issued + timedelta(hours=73))


def test_password_link_of_another_user_is_invalid(client):
    user, other = UserFactory(), UserFactory()
    token = default_token_generator.make_token(other)
    link = reverse(
        "accounts:password_set",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token},
    )
    assert "n'est plus valable" in html(client.get(link, follow=True))


def test_password_reset_sends_a_french_email_also_to_people_without_password(client):
    User.objects.create_user("sans-mdp@exemple.fr", None)
    response = client.post(reverse("accounts:password_reset"), {"email": "Sans-MDP@exemple.fr"})
    assert response.url == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    assert message.subject == "Convergence : choisissez un nouveau mot de passe"
    assert "/compte/mot-de-passe/" in message.body and "72 heures" in message.alternatives[0][0]


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"})
    assert response.url == reverse("accounts:password_reset_done") and mail.outbox == []


def test_verified_reviewer_lands_on_the_back_office_dashboard(client):
    user, device = make_reviewer()
    verified_login(client, user, device)
    assert client.get(reverse("accounts:start")).url == reverse("review:dashboard:index")


def test_member_lands_on_the_portal(client):
    membership = MembershipFactory()
    accept_current_terms(membership.user)
    verified_login(client, membership.user)
    assert client.get(reverse("accounts:start")).url == reverse("portal:home")


def test_password_link_token_leaves_the_url_on_first_visit(client):
    user = User.objects.create_user("jeton@exemple.fr", None)
    link = password_set_url(user=user).removeprefix("http://127.0.0.1:8000")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    response = client.get(link)
    assert response.status_code == 302
    assert token not in response.url and response.url.endswith("/set-password/")
    assert "Choisir un mot de passe" in html(client.get(response.url))
