"""Through Chromium, a visitor's way through the public pages and the help centre, then a reviewer
editing an answer in the back office; axe finds no serious or critical violation on any of them."""

import pytest
from playwright.sync_api import expect

from helpcentre.models import Entry, Vote
from helpcentre.services import content_import
from tests.accounts.factories import TermsVersionFactory
from tests.accounts.helpers import make_reviewer
from tests.assessments.factories import questionnaire_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_searches_filters_reads_and_votes(page, axe_check):
    questionnaire_version(code="interoperabilite")
    content_import()
    page.goto("/")
    axe_check(page)  # the home page and its entry points
    page.get_by_role("link", name="Centre d'aide").first.click()
    expect(page.locator("h1")).to_have_text("Centre d'aide")
    axe_check(page)

    # Accents and case do not matter.
    page.get_by_label("Rechercher dans le centre d'aide").fill("PROFIL ALIMENTATION")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Que faut-il pour le profil DMP « alimentation » ?")).to_be_visible()
    page.get_by_label("Thème").select_option("profils-dmp")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#resultats")).to_contain_text("trouvée")
    axe_check(page)  # results with filters

    page.get_by_role("link", name="Que faut-il pour le profil DMP « alimentation » ?").click()
    expect(page.get_by_role("heading", name="Cette réponse vous a-t-elle été utile ?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Oui").click()  # htmx swaps the block in place
    expect(page.locator("#avis")).to_contain_text("Merci pour votre avis")
    assert Vote.objects.get().useful is True
    axe_check(page)

    page.get_by_role(
        "link", name="A08.3.1 — Connexion synchrone avec d'autres systèmes d'information"
    ).click()
    expect(page.locator("h1")).to_contain_text("A08.3.1")
    axe_check(page)  # the item's read-only definition

    for name in [
        "Plan du site",
        "Accessibilité : partiellement conforme",
        "Mentions légales",
        "Données personnelles",
    ]:
        page.locator("footer").get_by_role("link", name=name).click()
        axe_check(page)


def test_reviewer_publishes_an_answer_from_the_back_office(page, browser_login, axe_check, live_server):
    TermsVersionFactory(version=1)
    questionnaire_version()
    content_import()
    reviewer, device = make_reviewer()
    browser_login(reviewer, device)
    page.goto("/instruction/centre-d-aide/")
    axe_check(page)  # the list with the votes
    page.get_by_role("link", name="Nouvelle réponse").click()
    page.locator("#id_title").fill("Comment déclarer un connecteur ?")
    page.locator("#id_body").fill("Répondez « oui » à la question de qualification sur les connecteurs.")
    page.get_by_label("Exigences expliquées").fill("A08.5.01")
    page.get_by_text("Profils DMP", exact=True).click()
    page.get_by_text("Publiée", exact=True).click()
    axe_check(page)  # the form
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#messages")).to_contain_text("est enregistrée")
    entry = Entry.objects.get(slug="comment-declarer-un-connecteur")
    assert entry.is_published and entry.item_codes == ["A08.5.01"]
    page.get_by_role("link", name="Historique des modifications").click()
    expect(page.locator("tbody")).to_contain_text("Création")
    axe_check(page)
