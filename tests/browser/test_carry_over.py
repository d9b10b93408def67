"""Through Chromium: a vendor starts the v2 assessment of a version from its v1 answers and reads the
carry-over summary (continued, to review, new, removed items); the page passes axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment
from companies.models import Role
from tests.accounts.helpers import accept_current_terms
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductFactory, ProductVersionFactory
from tests.questionnaires.factories import import_real_definitions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_carry_over_summary_of_a_v2_assessment(page, browser_login, axe_check):
    v1 = import_real_definitions(1)["interoperabilite"]
    v2 = import_real_definitions(2)["interoperabilite"]
    membership = MembershipFactory(role=Role.MANDATAIRE)
    accept_current_terms(membership.user)
    product_version = ProductVersionFactory(product=ProductFactory(company=membership.company))
    source = services.assessment_start(product_version=product_version, questionnaire_version=v1, actor=None)
    for code, level in (("A08.3.2", "jaune"), ("A08.3.1", "vert"), ("A08.5.21", "vert")):
        services.answer_save(assessment=source, item_code=code, level=level, expected_revision=0, actor=None)

    browser_login(membership.user)
    page.goto(reverse("portal:assessments:start", args=[product_version.public_id]))
    page.locator("label", has_text="Interopérabilité (A08) — version 2").click()
    page.get_by_label("Reprendre les réponses d'une évaluation précédente").select_option(
        str(source.public_id)
    )
    page.get_by_role("button", name="Commencer l'évaluation").click()
    target = Assessment.objects.get(product_version=product_version, questionnaire_version=v2)
    page.goto(reverse("portal:assessments:detail", args=[target.public_id]))
    summary = page.locator("#carry-over")
    expect(summary).to_contain_text("Interopérabilité (A08), version 1")
    expect(summary).to_contain_text("1 réponse(s) reprise(s) telle(s) quelle(s) ; 1 à revoir")
    expect(
        summary.get_by_role("heading", name="À revoir : les niveaux de ces exigences ont changé de sens")
    ).to_be_visible()
    expect(summary).to_contain_text("A08.3.1 Connexion synchrone avec d'autres systèmes d'information")
    expect(summary.get_by_role("heading", name="Exigences supprimées")).to_be_visible()
    expect(summary).to_contain_text("A08.5.21 Production — Document non structuré encapsulé")
    axe_check(page)
