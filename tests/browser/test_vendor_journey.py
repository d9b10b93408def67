"""Through Chromium, the vendor's journey: log in, create a product and its version, start an
assessment, answer the qualification and items (autosave seen), watch a profile become reached and
submit; axe on the questionnaire page; and the whole questionnaire completed with the keyboard only."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Assessment, State
from companies.models import Role
from products.models import Product
from tests.accounts.factories import TEST_PASSWORD, TermsVersionFactory
from tests.accounts.helpers import accept_current_terms
from tests.assessments.factories import QUALIFIED, AssessmentFactory, questionnaire_version
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mandataire():
    TermsVersionFactory(version=1)
    membership = MembershipFactory(role=Role.MANDATAIRE, user__first_name="Marc", user__last_name="Martin")
    accept_current_terms(membership.user)
    return membership


def log_in(page, user):
    page.goto("/espace/produits/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace/produits/")


def choose(page, item: str, level: str):
    """Click the level of an item and wait for its autosave to say so."""
    anchor = "item-" + item.replace(".", "-")
    page.locator(f"label[for={anchor}-{level}]").click()
    expect(page.locator(f"#{anchor}-status")).to_contain_text("Enregistré")


def test_vendor_journey_from_login_to_submission(page, axe_check):
    membership = mandataire()
    version = questionnaire_version(items=8, sections=2)
    log_in(page, membership.user)

    # A product and its version.
    page.get_by_role("link", name="Ajouter un produit").click()
    page.get_by_label("Nom du produit").fill("Agenda Santé")
    page.get_by_text("Android", exact=True).click()
    page.get_by_text("Mobile", exact=True).click()
    page.get_by_role("button", name="Créer le produit").click()
    expect(page.locator("h1")).to_contain_text("Nouvelle version de « Agenda Santé Android Mobile »")
    page.locator("#id_label").fill("2.1")
    page.get_by_role("button", name="Ajouter la version").click()
    assert Product.objects.get(company=membership.company).versions.get().label == "2.1"
    axe_check(page)  # the product page

    # The assessment, its qualification.
    page.get_by_role("link", name="Évaluer la version 2.1").click()
    page.get_by_text(f"{version.questionnaire.title} — version 1").click()
    page.get_by_role("button", name="Commencer l'évaluation").click()
    for code, value in QUALIFIED.items():
        page.locator(f"label[for=id_{code}_{0 if value else 1}]").click()
    page.get_by_role("button", name="Enregistrer la qualification").click()
    expect(page.get_by_text("Qualification enregistrée")).to_be_visible()
    page.get_by_role("link", name="Répondre au questionnaire").click()

    # Items saved one by one; the Alimentation profile becomes reached on the third.
    panel = page.locator("#profile-panel")
    expect(panel).to_contain_text("Alimentation")
    expect(panel).not_to_contain_text("Atteint")
    choose(page, "A08.3.1", "vert")
    choose(page, "A08.4.1", "vert")
    expect(panel).not_to_contain_text("Atteint")
    choose(page, "A08.5.01", "vert")
    expect(panel.locator("li", has_text="Alimentation")).to_contain_text("Atteint")
    expect(page.locator("#overall-progress")).to_contain_text("3/7")
    axe_check(page)

    choose(page, "A08.4.3", "jaune")
    page.get_by_role("link", name=re.compile("S2 Section 2")).first.click()

    # N/A needs a justification: the field appears, and the link to the needs-expression form.
    page.locator("label[for=item-A08-5-23-na]").click()
    expect(page.locator("#item-A08-5-23-status")).to_contain_text("justification est obligatoire")
    page.locator("#item-A08-5-23-justification").fill("Le produit ne consulte aucun document CDA.")
    expect(page.locator("#item-A08-5-23-status")).to_contain_text("Enregistré", timeout=5000)
    expect(page.get_by_role("link", name="formulaire d'expression de besoin").first).to_be_visible()
    choose(page, "X.001", "orange")
    page.locator("#item-X-002-comment").fill("Prévu au prochain trimestre.")
    page.locator("label[for=item-X-002-rouge]").click()
    expect(page.locator("#item-X-002-status")).to_contain_text("Enregistré")

    # Submit: read-only afterwards.
    page.get_by_role("link", name="Terminer et vérifier avant de soumettre").click()
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(page.get_by_text("L'évaluation est soumise à l'agence.")).to_be_visible()
    axe_check(page)  # the assessment overview
    page.goto("/espace/produits/")
    axe_check(page)
    assessment = Assessment.objects.get(product_version__product__company=membership.company)
    assert assessment.state == State.SUBMITTED
    assert assessment.answers.get(item__code="X.002").comment == "Prévu au prochain trimestre."
    assert assessment.reached_profiles == ["alimentation"]


def press_until(page, key: str, selector: str, text: str = "", limit: int = 80):
    """Press ``key`` until the focused element matches ``selector`` (and contains ``text``), as a
    keyboard user does."""
    check = "([s, t]) => { const e = document.activeElement; return !!e && e.matches(s) && e.textContent.includes(t); }"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(check, [selector, text]):
            return
    raise AssertionError(f"{selector} {text} jamais atteint avec {key}")


def test_questionnaire_can_be_completed_with_the_keyboard_only(page, browser_login, axe_check):
    membership = mandataire()
    product_version = ProductVersionFactory(product=ProductFactory(company=membership.company))
    assessment = AssessmentFactory(
        product_version=product_version,
        questionnaire_version=questionnaire_version(items=8, sections=2),
        qualification=QUALIFIED,
    )
    browser_login(membership.user)
    page.goto(reverse("portal:assessments:section", args=[assessment.public_id, 0]))
    for section in (0, 1):
        for form in page.locator("form.cv-item").all():
            anchor = form.get_attribute("id")
            # Tab into the item's radio group, pick the first level with Space, then move up the
            # scale with the arrow keys (each move is saved), and Tab on.
            press_until(page, "Tab", f"#{anchor} input[name=level]")
            page.keyboard.press("Space")
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
            expect(page.locator(f"#{anchor}-status")).to_contain_text("Enregistré")
        link = "Terminer et vérifier avant de soumettre" if section else "S2 Section 2"
        press_until(page, "Tab", "a.fr-btn", link)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    press_until(page, "Tab", "button", "Soumettre l'évaluation")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("L'évaluation est soumise à l'agence.")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED
    assert set(assessment.answers.exclude(level="").values_list("level", flat=True)) == {"jaune"}
    page.goto(reverse("portal:assessments:full", args=[assessment.public_id]))
    expect(page.locator(".cv-item")).to_have_count(7)
    axe_check(page)  # the read-only full view


def test_a_network_failure_keeps_what_was_typed_and_offers_a_retry(page, browser_login):
    membership = mandataire()
    assessment = AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=membership.company)),
        questionnaire_version=questionnaire_version(items=8, sections=1),
        qualification=QUALIFIED,
    )
    browser_login(membership.user)
    page.goto(reverse("portal:assessments:section", args=[assessment.public_id, 0]))
    page.route("**/exigences/**", lambda route: route.abort("internetdisconnected"))
    page.locator("#item-X-001-comment").fill("Texte précieux à ne pas perdre.")
    page.locator("label[for=item-X-001-vert]").click()
    status = page.locator("#item-X-001-status")
    expect(status).to_contain_text("Connexion impossible")
    expect(page.locator("#item-X-001-comment")).to_have_value("Texte précieux à ne pas perdre.")
    page.unroute("**/exigences/**")
    status.get_by_role("button", name="Réessayer").click()
    expect(status).to_contain_text("Enregistré")
    answer = assessment.answers.get(item__code="X.001")
    assert (answer.level, answer.comment) == ("vert", "Texte précieux à ne pas perdre.")
