"""Accepting an invitation link: new person, known person, used, expired, revoked, wrong account."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from companies import services
from companies.models import Invitation, Membership, Role
from companies.selectors import token_hash
from portal.members.views import INVITATION_SESSION_KEY, INVITATION_URL_TOKEN
from tests.accounts.factories import TEST_PASSWORD, TermsVersionFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TOKEN = "jeton-de-test-suffisamment-long-pour-etre-unique"
PASSWORD = "Tournesol-Bleu-2031"


def html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.fixture
def invitation():
    TermsVersionFactory(version=1)
    inviter = MembershipFactory(mandataire=True, company__name="Alpha Santé")
    return Invitation.objects.create(
        company=inviter.company,
        email="invite@exemple.fr",
        role=Role.REPRESENTANT,
        invited_by=inviter.user,
        token_hash=token_hash(TOKEN),
        expires_at=timezone.now() + timedelta(days=7),
    )


def accept_url(token=TOKEN):
    return reverse("portal:members:invitation_accept", kwargs={"token": token})


def new_person(**overrides):
    data = {
        "first_name": "Inès",
        "last_name": "Martin",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    return data | overrides


def test_new_person_creates_account_accepts_terms_and_lands_in_the_company(client, invitation):
    assert "Rejoindre Alpha Santé" in html(client.get(accept_url(), follow=True))
    response = client.post(accept_url(), new_person())
    assert response.url == reverse("portal:home")
    user = User.objects.get(email="invite@exemple.fr")
    assert user.check_password(PASSWORD) and user.first_name == "Inès"
    assert Membership.objects.get(user=user).role == Role.REPRESENTANT
    assert user.terms_acceptances.filter(terms__version=1).exists()
    assert "<h1>Alpha Santé</h1>" in html(client.get(reverse("portal:home")))


def test_weak_password_or_missing_terms_keep_the_form_filled(client, invitation):
    response = client.post(accept_url(), new_person(password1="court", password2="court", accept_terms=""))
    page = html(response)
    assert "Ce mot de passe est trop court" in page and "Vous devez accepter" in page
    assert 'value="Inès"' in page
    assert not User.objects.filter(email="invite@exemple.fr").exists()


def test_link_is_single_use(client, invitation):
    client.post(accept_url(), new_person())
    client.logout()
    response = client.get(accept_url(), follow=True)
    assert response.status_code == 410 and "n'est pas valable" in html(response)
    assert client.post(accept_url(), new_person()).status_code == 410


def test_expired_link_is_refused(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(accept_url(), follow=True).status_code == 410
    assert client.post(accept_url(), new_person()).status_code == 410
    assert not User.objects.filter(email="invite@exemple.fr").exists()


def test_revoked_link_is_refused(client, invitation):
    services.invitation_revoke(invitation=invitation, actor=invitation.invited_by.memberships.get())
    assert client.get(accept_url(), follow=True).status_code == 410


def test_unknown_token_is_a_404(client, invitation):
    assert client.get(accept_url("pas-le-bon-jeton")).status_code == 404


def test_known_person_logs_in_then_joins(client, invitation):
    person = MembershipFactory(user=UserFactory(email="invite@exemple.fr")).user
    assert "Connectez-vous avec ce compte" in html(client.get(accept_url(), follow=True))
    accept_current_terms(person)
    verified_login(client, person)
    assert "Rejoindre l'entreprise" in html(client.get(accept_url(), follow=True))
    assert not Membership.objects.filter(user=person, company=invitation.company).exists()  # GET never writes
    response = client.post(accept_url())
    assert response.url == reverse("portal:home")
    assert person.memberships.count() == 2
    assert "<h1>Alpha Santé</h1>" in html(client.get(reverse("portal:home")))


def test_logged_in_as_someone_else_is_refused(client, invitation):
    someone = UserFactory()
    accept_current_terms(someone)
    verified_login(client, someone)
    response = client.post(accept_url())
    assert response.status_code == 403 and "une autre adresse e-mail" in html(response)
    assert not Membership.objects.filter(company=invitation.company, user=someone).exists()


def test_new_invitation_revokes_the_previous_one(invitation):
    actor = invitation.invited_by.memberships.get()
    services.invitation_create(
        company=invitation.company, email="INVITE@exemple.fr", role=Role.SALARIE, actor=actor
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Invitation.objects.filter(revoked_at__isnull=True).get().role == Role.SALARIE


def test_salarie_cannot_invite(invitation):
    salarie = MembershipFactory(company=invitation.company)
    with pytest.raises(services.PermissionDenied):
        services.invitation_create(
            company=invitation.company, email="x@exemple.fr", role=Role.SALARIE, actor=salarie
        )


def test_representant_revoking_via_page(vendor_client_factory, invitation):
    representant = vendor_client_factory(role=Role.REPRESENTANT, company=invitation.company)
    url = reverse("portal:members:invitation_revoke", kwargs={"public_id": invitation.public_id})
    representant.post(url)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_outsider_cannot_revoke(vendor_client_factory, invitation):
    outsider = vendor_client_factory(role=Role.MANDATAIRE)
    url = reverse("portal:members:invitation_revoke", kwargs={"public_id": invitation.public_id})
    outsider.post(url)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_page_query_budget(client, invitation, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # the lookup, then the new session's insert
        response = client.get(accept_url())
    assert response.status_code == 302  # the token goes to the session
    with django_assert_max_num_queries(4):  # the session's read, then as before the token-in-URL page
        response = client.get(response.url)
    assert response.status_code == 200


def test_address_registered_meanwhile_gets_a_clear_page(client, invitation):
    form_page = client.get(accept_url(), follow=True)
    assert form_page.status_code == 200
    UserFactory(email="invite@exemple.fr")  # e.g. through another company's invitation
    # The form page now asks to log in; a stale form posted anyway gets a clear refusal, never a 500.
    assert "Connectez-vous" in html(client.post(accept_url(), new_person()))
    with pytest.raises(services.ValidationError):
        services.invitation_accept(invitation=invitation, password=PASSWORD)


def test_invitation_used_between_page_and_post_gives_410_not_500(client, invitation, monkeypatch):
    def used_meanwhile(**kwargs):
        raise services.ValidationError(services.INVITATION_UNUSABLE)

    monkeypatch.setattr(services, "invitation_accept", used_meanwhile)
    response = client.post(accept_url(), new_person())
    assert response.status_code == 410 and "n'est pas valable" in html(response)


# --- The token leaves the URL at once ----------------------------------------------------------------
def test_first_visit_moves_the_token_from_the_url_to_the_session(client, invitation):
    response = client.get(accept_url())
    assert response.status_code == 302
    assert response.url == accept_url(INVITATION_URL_TOKEN) and TOKEN not in response.url
    page = client.get(response.url)
    assert "Rejoindre Alpha Santé" in html(page) and TOKEN not in html(page)
    response = client.post(accept_url(INVITATION_URL_TOKEN), new_person())
    assert response.url == reverse("portal:home")
    assert Membership.objects.filter(user__email="invite@exemple.fr", company=invitation.company).exists()
    assert INVITATION_SESSION_KEY not in client.session


def test_token_less_url_without_the_session_asks_to_open_the_link_again(client, invitation):
    response = client.get(accept_url(INVITATION_URL_TOKEN))
    assert response.status_code == 410 and "Ouvrez à nouveau le lien reçu par e-mail" in html(response)
    assert client.post(accept_url(INVITATION_URL_TOKEN), new_person()).status_code == 410
    assert not User.objects.filter(email="invite@exemple.fr").exists()


def test_known_person_keeps_the_invitation_through_the_login(client, invitation):
    person = UserFactory(email="invite@exemple.fr")
    accept_current_terms(person)
    page = html(client.get(accept_url(), follow=True))
    next_url = accept_url(INVITATION_URL_TOKEN)
    assert f'href="{reverse("accounts:login")}?next={next_url}"' in page and TOKEN not in page
    credentials = {"username": person.email, "password": TEST_PASSWORD, "next": next_url}
    response = client.post(reverse("accounts:login"), credentials, follow=True)
    assert "Rejoindre l'entreprise" in html(response)  # the session kept the invitation
    response = client.post(next_url)
    assert response.url == reverse("portal:home")
    assert person.memberships.filter(company=invitation.company).exists()
