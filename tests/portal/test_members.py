"""/espace/entreprise/membres/ and the portal shell, with the four actors."""

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import Invitation, Membership, Role
from companies.services import LAST_MANDATAIRE
from tests.companies.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

LIST = reverse("portal:members:list")
INVITE = reverse("portal:members:invite")


def html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def role_url(member):
    return reverse("portal:members:change_role", kwargs={"public_id": member.public_id})


def deactivate_url(member):
    return reverse("portal:members:deactivate", kwargs={"public_id": member.public_id})


@pytest.fixture
def company():
    return CompanyFactory(name="Alpha Santé")


@pytest.fixture
def mandataire(vendor_client_factory, company):
    return vendor_client_factory(role=Role.MANDATAIRE, company=company)


@pytest.fixture
def representant(vendor_client_factory, company):
    return vendor_client_factory(role=Role.REPRESENTANT, company=company)


@pytest.fixture
def salarie(vendor_client_factory, company):
    return vendor_client_factory(role=Role.SALARIE, company=company)


@pytest.fixture
def outsider(vendor_client_factory):
    return vendor_client_factory(role=Role.MANDATAIRE, company=CompanyFactory(name="Bêta Logiciels"))


# --- Reading the list ------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_is_constant(mandataire, company, rows, django_assert_max_num_queries):
    MembershipFactory.create_batch(rows, company=company)
    with django_assert_max_num_queries(9):
        response = mandataire.get(LIST)
    assert response.status_code == 200
    assert html(response).count("Changer le rôle<span") == rows + 1  # the mandataire too


def test_manager_sees_actions_and_salarie_only_the_list(mandataire, salarie):
    assert "Inviter un collègue" in html(mandataire.get(LIST))
    page = html(salarie.get(LIST))
    assert salarie.user.email in page and mandataire.user.email in page
    assert "Inviter un collègue" not in page and "Changer le rôle" not in page


def test_outsider_does_not_see_the_company(outsider, mandataire):
    page = html(outsider.get(LIST))
    assert mandataire.user.email not in page and "Alpha Santé" not in page


def test_reviewer_is_not_a_member(reviewer_client):
    assert reviewer_client.get(LIST).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


# --- Changing roles --------------------------------------------------------------------------------
def test_mandataire_promotes_a_salarie(mandataire, salarie):
    mandataire.post(role_url(salarie.membership), {"role": Role.REPRESENTANT})
    salarie.membership.refresh_from_db()
    assert salarie.membership.role == Role.REPRESENTANT
    event = salarie.membership.audit_events.select_related("pgh_context").order_by("pgh_id").last()
    assert (event.pgh_label, event.role) == ("update", Role.REPRESENTANT)
    assert event.pgh_context.metadata["user"] == mandataire.user.pk


def test_representant_cannot_promote_to_mandataire(representant, salarie):
    response = representant.post(role_url(salarie.membership), {"role": Role.MANDATAIRE})
    assert response.status_code == 403
    salarie.membership.refresh_from_db()
    assert salarie.membership.role == Role.SALARIE


def test_representant_cannot_demote_a_mandataire(representant, mandataire):
    MembershipFactory(company=mandataire.company, mandataire=True)
    response = representant.post(role_url(mandataire.membership), {"role": Role.SALARIE})
    assert response.status_code == 403
    mandataire.membership.refresh_from_db()
    assert mandataire.membership.role == Role.MANDATAIRE


def test_salarie_cannot_change_anything(salarie, representant):
    assert salarie.post(role_url(representant.membership), {"role": Role.SALARIE}).status_code == 403
    assert salarie.post(deactivate_url(representant.membership)).status_code == 403
    assert salarie.get(INVITE).status_code == 403
    representant.membership.refresh_from_db()
    assert representant.membership.role == Role.REPRESENTANT and representant.membership.is_active


def test_outsider_gets_404_on_a_member_of_another_company(outsider, salarie):
    assert outsider.post(role_url(salarie.membership), {"role": Role.REPRESENTANT}).status_code == 404
    assert outsider.post(deactivate_url(salarie.membership)).status_code == 404


def test_last_mandataire_cannot_be_demoted_or_deactivated(mandataire):
    response = mandataire.post(role_url(mandataire.membership), {"role": Role.SALARIE}, follow=True)
    assert LAST_MANDATAIRE in html(response)
    response = mandataire.post(deactivate_url(mandataire.membership), follow=True)
    assert LAST_MANDATAIRE in html(response)
    mandataire.membership.refresh_from_db()
    assert mandataire.membership.role == Role.MANDATAIRE and mandataire.membership.is_active


def test_a_mandataire_can_step_down_once_another_exists(mandataire):
    MembershipFactory(company=mandataire.company, mandataire=True)
    mandataire.post(role_url(mandataire.membership), {"role": Role.REPRESENTANT})
    mandataire.membership.refresh_from_db()
    assert mandataire.membership.role == Role.REPRESENTANT


def test_deactivated_member_loses_access(mandataire, salarie):
    mandataire.post(deactivate_url(salarie.membership))
    salarie.membership.refresh_from_db()
    assert not salarie.membership.is_active
    assert salarie.get(LIST).status_code == 404
    event = salarie.membership.audit_events.select_related("pgh_context").order_by("pgh_id").last()
    assert event.is_active is False and event.pgh_context.metadata["user"] == mandataire.user.pk


# --- Company switcher ------------------------------------------------------------------------------
def test_member_of_two_companies_switches(vendor_client_factory, company):
    member = vendor_client_factory(role=Role.SALARIE, company=company)
    other = MembershipFactory(
        user=member.user, company=CompanyFactory(name="Zêta Médical"), role=Role.MANDATAIRE
    )
    page = html(member.get(reverse("portal:home")))
    assert "Changer d'entreprise" in page and "<h1>Alpha Santé</h1>" in page
    response = member.post(reverse("portal:company_switch"), {"company": str(other.company.public_id)})
    assert response.status_code == 302
    assert "<h1>Zêta Médical</h1>" in html(member.get(reverse("portal:home")))
    assert "Inviter un collègue" in html(member.get(LIST))


def test_switching_to_a_foreign_company_is_a_404(outsider, company):
    response = outsider.post(reverse("portal:company_switch"), {"company": str(company.public_id)})
    assert response.status_code == 404
    assert outsider.post(reverse("portal:company_switch"), {"company": "pas-un-uuid"}).status_code == 404


# --- Invitations -----------------------------------------------------------------------------------
def test_representant_can_only_offer_roles_below_mandataire(representant):
    page = html(representant.get(INVITE))
    assert 'value="representant"' in page and 'value="salarie"' in page
    assert 'value="mandataire"' not in page
    response = representant.post(INVITE, {"email": "x@exemple.fr", "role": Role.MANDATAIRE})
    assert response.status_code == 200 and not Invitation.objects.exists()


def test_invitation_is_sent_and_listed(mandataire, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = mandataire.post(INVITE, {"email": "Nouveau@Exemple.fr", "role": Role.SALARIE})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouveau@exemple.fr" and invitation.invited_by == mandataire.user
    [message] = mail.outbox
    assert message.to == ["nouveau@exemple.fr"] and "Alpha Santé" in message.subject
    assert "/espace/entreprise/membres/invitation/" in message.body and "7 jours" in message.body
    assert "nouveau@exemple.fr" in html(mandataire.get(LIST))


def test_inviting_an_active_member_is_refused(mandataire, salarie):
    response = mandataire.post(INVITE, {"email": salarie.user.email, "role": Role.SALARIE})
    assert "déjà membre" in html(response)


def test_member_count_unchanged_by_get(mandataire):
    before = Membership.objects.count()
    mandataire.get(INVITE)
    mandataire.get(LIST)
    assert Membership.objects.count() == before


def test_invite_page_query_budget(mandataire, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = mandataire.get(INVITE)
    assert response.status_code == 200 and "Envoyer l'invitation" in html(response)
