"""Through Chromium, the DMN "ligne générique" certification from end to end: the operator's mandataire
files one candidature for two lines through the form and submits it on the candidature's page; a
reviewer takes it and validates it; the real Celery worker renders the one certificate of conformity;
anyone verifies it by its code on the public page, which lists both lines. Every page passes the Nu
checker (``page`` fixture), the main ones axe too."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certificates.models import Certificate
from dmn import services
from dmn.models import Candidature, Capacity, Grouping, Line
from tests.accounts.helpers import make_reviewer
from tests.certificates.test_worker import wait_ready
from tests.companies.factories import MembershipFactory
from tests.dmn.factories import complete_candidature, import_dmn
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PRODUCT = "TéléSuivi Chronique"


def test_two_line_candidature_from_filing_to_verified_certificate(
    page, live_server, browser_login, celery_worker, axe_check
):
    import_dmn()
    mandataire = MembershipFactory(mandataire=True)
    product = ProductFactory(company=mandataire.company, name=PRODUCT)
    version = ProductVersionFactory(product=product, label="2.0")
    services.capacity_declare(product=product, capacity=Capacity.OPERATOR, actor=mandataire.user)

    # The operator files one candidature for two lines from the product page.
    browser_login(mandataire.user)
    page.goto(reverse("portal:products:detail", kwargs={"public_id": product.public_id}))
    page.get_by_role("link", name="Candidature DMN pour la version 2.0").click()
    axe_check(page)
    # DSFR draws the boxes on the labels: a person clicks them.
    page.locator("label[for='id_lines_0']", has_text=Line.DIABETE.label).click()
    page.locator("label[for='id_lines_3']", has_text=Line.CARDIAQUE.label).click()
    expect(page.get_by_label(Line.DIABETE.label, exact=True)).to_be_checked()
    page.locator("label", has_text="Une candidature pour toutes les lignes").click()
    page.get_by_role("button", name="Créer la candidature").click()
    page.get_by_text("La candidature est créée.").wait_for()
    candidature = Candidature.objects.get(product_version=version)
    assert candidature.grouping == Grouping.TOGETHER
    assert sorted(candidature.lines.values_list("line", flat=True)) == sorted([Line.DIABETE, Line.CARDIAQUE])
    facts = page.locator("dl.cv-facts")
    expect(facts).to_contain_text(Line.DIABETE.label)
    expect(facts).to_contain_text(Line.CARDIAQUE.label)
    axe_check(page)

    # Its three questionnaires answered and proved (the questionnaire pages have their own journeys),
    # the candidature is submitted from its page.
    complete_candidature(candidature, mandataire.user)
    page.reload()
    page.get_by_role("button", name="Soumettre la candidature").click()
    page.get_by_text("La candidature est soumise à l'agence.").wait_for()
    candidature.refresh_from_db()
    assert candidature.state == Candidature.State.SUBMITTED
    assert {a.state for a in services.candidature_assessments(candidature)} == {"submitted"}

    # A reviewer (second factor passed) finds it in the DMN queue, takes it and validates it.
    reviewer, device = make_reviewer(first_name="Inès", last_name="Instructrice")
    page.context.clear_cookies()
    browser_login(reviewer, device)
    page.goto(reverse("review:dmn:list"))
    page.get_by_role("link", name=product.display_name).click()
    page.get_by_role("button", name="Prendre en charge l'instruction").click()
    page.get_by_text("Vous instruisez maintenant cette candidature").wait_for()
    axe_check(page)
    page.get_by_text("Valider la candidature", exact=True).click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("La candidature est validée").wait_for()
    candidature.refresh_from_db()
    assert candidature.state == Candidature.State.VALIDATED

    # The worker renders one certificate for both lines; the reviewer's page offers its PDF.
    certificate = wait_ready(
        Certificate.objects.get(procedure_ref=candidature.public_id, kind=Certificate.Kind.CONFORMITE)
    )
    page.reload()
    expect(page.locator("#certificat + ul")).to_contain_text("Télécharger le PDF")

    # Anyone verifies it by its code on the public page, which lists both certified lines.
    page.context.clear_cookies()
    page.goto(reverse("certificates:verify_form"))
    page.get_by_label("Code de vérification").fill(certificate.display_code)
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("heading", name="Document valide").wait_for()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Lignes génériques certifiées"))
    expect(row).to_contain_text("Diabète")
    expect(row).to_contain_text("Insuffisance cardiaque chronique")
    expect(page.locator("table")).to_contain_text(product.display_name)
    axe_check(page)
