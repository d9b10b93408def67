"""Every account page answers in French within a small, fixed number of queries."""

import pytest
from django.urls import reverse

from accounts.second_factor import PENDING_SESSION_KEY
from accounts.services import password_set_url
from tests.accounts.factories import TermsVersionFactory, TOTPDeviceFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, totp_code, verified_login
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("accounts:login", "Se connecter à Convergence"),
        ("accounts:password_reset", "Mot de passe oublié"),
        ("accounts:password_reset_done", "Vérifiez votre messagerie"),
        ("account_requests:sent", "Votre demande est envoyée"),
    ],
)
def test_public_pages(client, name, text, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse(name))
    assert response.status_code == 200 and text in response.content.decode()


@pytest.mark.parametrize(
    ("name", "text", "budget"),
    [
        ("accounts:terms", "Accepter et continuer", 5),
        ("accounts:second_factor", "Activer la double authentification", 5),
        ("accounts:second_factor_setup", "Générer mon QR code", 5),
    ],
)
def test_logged_in_account_pages(client, name, text, budget, django_assert_max_num_queries):
    TermsVersionFactory(version=1)
    verified_login(client, UserFactory())
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(name))
    assert response.status_code == 200 and text in response.content.decode()


def test_verify_page(client, django_assert_max_num_queries):
    user = UserFactory()
    TOTPDeviceFactory(user=user)
    verified_login(client, user)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("accounts:second_factor_verify"))
    assert "Vérification en deux étapes" in response.content.decode()


def test_portal_home_query_budget(vendor_client_factory, django_assert_max_num_queries):
    member = vendor_client_factory(role="mandataire")
    with django_assert_max_num_queries(6):
        response = member.get(reverse("portal:home"))
    assert response.status_code == 200 and member.company.name in response.content.decode()


def test_member_with_pending_second_factor_is_stopped_at_the_portal(client):
    membership = MembershipFactory()
    device = TOTPDeviceFactory(user=membership.user)
    accept_current_terms(membership.user)
    verified_login(client, membership.user)
    session = client.session
    session[PENDING_SESSION_KEY] = True
    session.save()
    response = client.get(reverse("portal:home"))
    assert response.url.startswith(reverse("accounts:second_factor_verify"))
    client.post(reverse("accounts:second_factor_verify"), {"token": totp_code(device)})
    assert client.get(reverse("portal:home")).status_code == 200


def test_password_link_does_not_skip_the_second_factor(client):
    membership = MembershipFactory()
    TOTPDeviceFactory(user=membership.user)
    accept_current_terms(membership.user)
    link = password_set_url(user=membership.user).removeprefix("http://127.0.0.1:8000")
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Tournesol-Bleu-2031", "new_password2": "Tournesol-Bleu-2031"})
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:second_factor_verify"))


def test_session_resumed_page_says_the_tab_can_be_closed(client, django_assert_max_num_queries):
    TermsVersionFactory(version=1)
    user = UserFactory()
    accept_current_terms(user)
    verified_login(client, user)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("accounts:session_resumed"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vous pouvez fermer cet onglet" in html
    assert "js/session_resumed.js" in html  # tells the questionnaire tab to send its answers


def test_session_resumed_page_needs_the_whole_sign_in(client):
    url = reverse("accounts:session_resumed")
    response = client.get(url)
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    user = UserFactory()
    TOTPDeviceFactory(user=user)
    accept_current_terms(user)
    verified_login(client, user)
    session = client.session
    session[PENDING_SESSION_KEY] = True
    session.save()
    assert client.get(url).url.startswith(reverse("accounts:second_factor_verify"))
