"""Through Chromium: a reviewer logs in with password then TOTP; the account pages pass axe."""

import pytest
from playwright.sync_api import expect

from accounts.demo import demo_totp_code
from tests.accounts.factories import TEST_PASSWORD, TermsVersionFactory, TOTPDeviceFactory, UserFactory
from tests.accounts.helpers import totp_code
from tests.companies.factories import AccountRequestFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_logs_in_with_password_totp_and_terms(page, axe_check):
    TermsVersionFactory(version=1)
    reviewer = UserFactory(reviewer=True)
    device = TOTPDeviceFactory(user=reviewer)
    AccountRequestFactory(company_name="Clinique Numérique")
    page.goto("/instruction/demandes-de-compte/")
    page.get_by_label("Adresse e-mail").fill(reviewer.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/double-authentification/verifier/**")
    axe_check(page)
    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url("**/conditions-generales/**")
    axe_check(page)
    page.locator("label[for=id_accept]").click()  # DSFR draws the box on the label
    page.get_by_role("button", name="Accepter et continuer").click()
    page.wait_for_url("**/instruction/demandes-de-compte/")
    assert "Clinique Numérique" in page.content()
    axe_check(page)


def test_demo_secret_gives_a_usable_code():
    assert len(demo_totp_code()) == 6 and demo_totp_code().isdigit()


def test_account_request_page_is_accessible(page, axe_check):
    page.goto("/demande-de-compte/")
    page.get_by_role("button", name="Envoyer la demande").click()
    # Waits for the page the submission returns (the click does not wait for it).
    expect(page.locator(".fr-message--error").first).to_be_visible()
    assert page.locator(".fr-message--error").count() > 0
    axe_check(page)


def test_members_page_is_accessible(page, browser_login, axe_check):
    membership = MembershipFactory(mandataire=True)
    MembershipFactory(company=membership.company)
    MembershipFactory(user=membership.user)  # a second company: the switcher shows
    browser_login(membership.user)
    page.goto("/espace/entreprise/membres/")
    assert "Changer d'entreprise" in page.content()
    axe_check(page)
    page.goto("/espace/entreprise/membres/inviter/")
    axe_check(page)
