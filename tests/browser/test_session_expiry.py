"""Through Chromium: a questionnaire whose session expires (or whose CSRF token goes stale) loses no
answer. The autosave says "non enregistré", never shows a login page inside the questionnaire, warns
before leaving, offers to sign in again in a new tab, and saves the pending answers afterwards."""

import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.crypto import get_random_string
from playwright.sync_api import expect

from companies.models import Role
from tests.accounts.factories import TEST_PASSWORD, TermsVersionFactory
from tests.accounts.helpers import accept_current_terms
from tests.assessments.factories import QUALIFIED, AssessmentFactory, questionnaire_version
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Texte précieux tapé pendant que la session expirait."


def open_section(page, browser_login):
    """A mandataire's assessment, its first section open in ``page``: (user, assessment)."""
    TermsVersionFactory(version=1)
    membership = MembershipFactory(role=Role.MANDATAIRE)
    accept_current_terms(membership.user)
    assessment = AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=membership.company)),
        questionnaire_version=questionnaire_version(items=8, sections=1),
        qualification=QUALIFIED,
    )
    browser_login(membership.user)
    page.goto(reverse("portal:assessments:section", args=[assessment.public_id, 0]))
    return membership.user, assessment


def forget_cookies(page, *names):
    """Drop these cookies from the browser (all of them without names), as an expiry would."""
    kept = [cookie for cookie in page.context.cookies() if names and cookie["name"] not in names]
    page.context.clear_cookies()
    if kept:
        page.context.add_cookies(kept)


def answer_while_signed_out(page):
    """Type a comment, then choose a level, each refused in turn; the saves are let through one at a
    time (on a loaded machine, a save of the comment alone still in flight at sign-in would race
    the level's)."""
    saves = "**/exigences/X.001/"
    with page.expect_response(saves):
        page.locator("#item-X-001-comment").fill(COMMENT)
        page.locator("#item-X-001-comment").blur()
    with page.expect_response(saves):
        page.locator("label[for=item-X-001-vert]").click()
    status = page.locator("#item-X-001-status")
    expect(status).to_contain_text("Non enregistré")
    # The comment also asks for a save 1.2 s after the last keystroke (hx-trigger "cv-typed"): let it
    # be refused too before signing in again.
    page.wait_for_timeout(1500)
    expect(page.locator("form.cv-item--saving")).to_have_count(0)
    return status


def sign_in_from_the_alert(page, user):
    """Follow the alert's link: the login opens in a new tab and ends on a page that can be closed."""
    with page.context.expect_page() as opened:
        page.locator(".cv-session-alert").get_by_role("link", name="Se reconnecter").click()
    tab = opened.value
    log_in(tab, user)
    expect(tab.get_by_text("Vous pouvez fermer cet onglet")).to_be_visible()
    # The text shows before the page's script has run (on a loaded machine, its file may still be
    # on its way): the tab is closed once the page has loaded, as a person reading it would.
    tab.wait_for_load_state("load")
    tab.close()


def sign_in_elsewhere(page, user):
    """Sign in again in another tab opened by hand, which tells the questionnaire nothing."""
    tab = page.context.new_page()
    tab.goto(reverse("accounts:login"))
    log_in(tab, user)
    tab.wait_for_url("**/espace/**")
    tab.close()


def log_in(tab, user):
    tab.get_by_label("Adresse e-mail").fill(user.email)
    tab.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Se connecter").click()


def assert_saved(status, assessment):
    expect(status).to_contain_text("Enregistré")
    expect(status).not_to_contain_text("Non enregistré")
    # Typing then clicking a level may send two saves (the comment's on blur, then the level's):
    # the status line tells about the first one.
    deadline = time.monotonic() + 5
    while (
        answer := assessment.answers.get(item__code="X.001")
    ).level != "vert" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (answer.level, answer.comment) == ("vert", COMMENT)


@pytest.mark.parametrize(
    "cookies",
    [
        pytest.param((settings.SESSION_COOKIE_NAME,), id="session-cookie-deleted"),
        # No cookie at all: the CSRF check refuses the save (403) before the login check.
        pytest.param((), id="every-cookie-deleted"),
    ],
)
def test_an_answer_given_after_the_session_expired_is_saved_once_signed_in_again(
    page, browser_login, axe_check, cookies
):
    user, assessment = open_section(page, browser_login)
    forget_cookies(page, *cookies)

    status = answer_while_signed_out(page)
    alert = page.locator(".cv-session-alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Votre session a expiré")
    # No login page inside the questionnaire, and what was typed is still there.
    expect(page.locator("main input[name=password]")).to_have_count(0)
    expect(status).not_to_contain_text("Mot de passe")
    expect(page.locator("#item-X-001-comment")).to_have_value(COMMENT)
    expect(page.locator("#item-X-001-vert")).to_be_checked()
    assert assessment.answers.get(item__code="X.001").level == ""
    axe_check(page)

    # The sign-in tab tells this one, which sends the answer again with the new CSRF token
    # (signing in rotates it; the one written in the page is refused from then on).
    sign_in_from_the_alert(page, user)
    assert_saved(status, assessment)
    expect(alert).to_contain_text("vos réponses sont enregistrées")
    axe_check(page)
    # Later answers go through as usual.
    page.locator("label[for=item-X-002-orange]").click()
    expect(page.locator("#item-X-002-status")).to_contain_text("Enregistré")
    assert assessment.answers.get(item__code="X.002").level == "orange"


def test_the_retry_button_sends_pending_answers_after_signing_in_elsewhere(page, browser_login):
    user, assessment = open_section(page, browser_login)
    forget_cookies(page, settings.SESSION_COOKIE_NAME)
    status = answer_while_signed_out(page)
    retry = page.get_by_role("button", name="Réessayer l'enregistrement")
    # Still signed out: nothing saved, the alert stays.
    retry.click()
    expect(status).to_contain_text("Non enregistré")
    expect(page.locator(".cv-session-alert")).to_contain_text("Votre session a expiré")
    sign_in_elsewhere(page, user)
    expect(status).to_contain_text("Non enregistré")  # the other tab said nothing
    retry.click()
    assert_saved(status, assessment)


def test_pending_answers_are_sent_again_when_the_questionnaire_tab_regains_focus(page, browser_login):
    user, assessment = open_section(page, browser_login)
    forget_cookies(page, settings.SESSION_COOKIE_NAME)
    status = answer_while_signed_out(page)
    sign_in_elsewhere(page, user)
    # Headless Chromium does not move the focus between tabs: the event a browser sends is sent here.
    page.evaluate("window.dispatchEvent(new FocusEvent('focus'))")
    assert_saved(status, assessment)


def test_leaving_the_page_asks_for_confirmation_while_an_answer_is_not_saved(page, browser_login):
    open_section(page, browser_login)
    forget_cookies(page, settings.SESSION_COOKIE_NAME)
    answer_while_signed_out(page)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert not page.is_closed()
    expect(page.locator("#item-X-001-comment")).to_have_value(COMMENT)


def test_a_401_or_a_server_error_is_never_swapped_into_the_item(page, browser_login):
    """Whatever the server answers in error (a 401 with a page, a 500 page), the item keeps its
    status line and says it is not saved."""
    open_section(page, browser_login)
    for code, body in ((401, "<h1>Connexion requise</h1>"), (500, "<h1>Erreur du serveur</h1>")):
        page.route(
            "**/exigences/X.001/",
            lambda route, _, code=code, body=body: route.fulfill(
                status=code, body=body, content_type="text/html"
            ),
        )
        page.locator("label[for=item-X-001-vert]").click()
        status = page.locator("#item-X-001-status")
        expect(status).to_contain_text("Non enregistré")
        expect(page.locator("h1", has_text="Connexion requise")).to_have_count(0)
        expect(page.locator("h1", has_text="Erreur du serveur")).to_have_count(0)
        page.unroute("**/exigences/X.001/")
        page.locator("label[for=item-X-001-jaune]").click()
        expect(status).to_contain_text("Enregistré")
        expect(status).not_to_contain_text("Non enregistré")


def test_a_csrf_token_rotated_since_the_page_loaded_does_not_block_the_save(page, browser_login, live_server):
    """Signing in again in another tab rotates the CSRF cookie while the session stays valid: the
    token written in the page is stale, the save must use the cookie's."""
    _, assessment = open_section(page, browser_login)
    page.context.add_cookies(
        [{"name": settings.CSRF_COOKIE_NAME, "value": get_random_string(32), "url": live_server.url}]
    )
    page.locator("#item-X-001-comment").fill(COMMENT)
    page.locator("label[for=item-X-001-vert]").click()
    assert_saved(page.locator("#item-X-001-status"), assessment)
