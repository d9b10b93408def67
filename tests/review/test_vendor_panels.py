"""The panels the review flow adds to the vendor's product page (``portal/product_panels``), loaded
by htmx after the page (``portal/templatetags/product_panels`` places them)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessments.figures import MIN_PEER_COMPANIES
from assessments.models import State
from instruction import services as instruction
from portal.product_panels.views import NOT_ENOUGH_PEERS
from tests.assessments.factories import AssessmentFactory, advance, questionnaire_version
from tests.products.factories import ProductVersionFactory

pytestmark = pytest.mark.django_db


PANELS = {"product_history_panel": "history", "section_comparison_panel": "comparison"}


def member_client(company) -> Client:
    from tests.accounts.helpers import accept_current_terms, verified_login
    from tests.companies.factories import MembershipFactory

    membership = MembershipFactory(company=company)
    accept_current_terms(membership.user)
    return verified_login(Client(), membership.user)


def render(tag: str, product, client=None) -> str:
    """The panel as htmx fetches it, for a salarié of the product's company."""
    client = client or member_client(product.company)
    url = reverse(f"portal:product_panels:{PANELS[tag]}", kwargs={"public_id": product.public_id})
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def reviewed(reviewer, **fields):
    """Validated after one request for changes, through the reviewer's services: an item comment
    published with the request, a comment of the second review never sent, and the attestation
    requested at validation (still rendering)."""
    assessment = AssessmentFactory(in_review=True, reviewer=reviewer, **fields)
    instruction.review_comment_add(
        assessment=assessment, author=reviewer, item_code="A08.4.1", body="Quelle version du volet ?"
    )
    instruction.assessment_decide(
        assessment=assessment,
        decision=instruction.Decision.REQUEST_CHANGES,
        actor=reviewer,
        comment="Précisez A08.4.1.",
    )
    advance(assessment, to=State.IN_REVIEW)
    instruction.review_comment_add(assessment=assessment, author=reviewer, body="Brouillon interne")
    instruction.assessment_decide(
        assessment=assessment, decision=instruction.Decision.VALIDATE, actor=reviewer
    )
    return assessment


def test_history_lists_submissions_decisions_published_comments_and_documents():
    from tests.accounts.factories import UserFactory

    assessment = reviewed(UserFactory(reviewer=True))

    html = render("product_history_panel", assessment.product_version.product)

    assert "Soumission n° 1" in html
    assert "Décision de l&#x27;agence : compléments demandés" in html
    assert "Précisez A08.4.1." in html
    assert "Commentaire de l&#x27;instructeur sur l&#x27;exigence A08.4.1" in html
    assert "Quelle version du volet ?" in html
    assert "Brouillon interne" not in html
    assert "Attestation d&#x27;auto-évaluation (en cours de génération)" in html


def history_queries(assessments: int) -> int:
    from tests.accounts.factories import UserFactory

    reviewer = UserFactory(reviewer=True)
    product = reviewed(reviewer).product_version.product
    for index in range(1, assessments):
        reviewed(reviewer, product_version=ProductVersionFactory(product=product, label=f"v{index}"))
    client = member_client(product.company)
    render("product_history_panel", product, client)
    with CaptureQueriesContext(connection) as queries:
        render("product_history_panel", product, client)
    return len(queries)


def test_history_queries_do_not_grow_with_the_product_life():
    few, many = history_queries(1), history_queries(6)
    assert few == many <= 12


def validated_products(version, count, default="vert", **fields):
    """``count`` products validated through the services, every applicable item at ``default``."""
    return [
        AssessmentFactory(
            validated=True, questionnaire_version=version, level=default, rule_level=default, **fields
        )
        for _ in range(count)
    ]


def test_average_is_withheld_with_four_other_companies():
    version = questionnaire_version()
    mine = validated_products(version, 1, default="jaune")[0]
    validated_products(version, MIN_PEER_COMPANIES - 1)

    html = render("section_comparison_panel", mine.product_version.product)

    assert escape(NOT_ENOUGH_PEERS.format(minimum=5)) in html
    assert "Moyenne des autres entreprises" not in html


def test_average_of_five_other_companies_is_shown():
    version = questionnaire_version()
    mine = validated_products(version, 1, default="jaune")[0]
    validated_products(version, MIN_PEER_COMPANIES)

    html = render("section_comparison_panel", mine.product_version.product)

    assert "moyenne anonyme des 5 produits validés de 5 autres entreprises" in html
    assert "<td>67 %</td><td>100 %</td>" in html


def test_a_section_without_a_rated_item_says_so_instead_of_a_bare_dash():
    version = questionnaire_version()
    # The second section (A08.5.23, A08.4.2 not applicable here, X.001, X.002) answered N/A throughout.
    mine = validated_products(version, 1, levels=dict.fromkeys(["A08.5.23", "X.001", "X.002"], "na"))[0]
    validated_products(version, MIN_PEER_COMPANIES)

    html = render("section_comparison_panel", mine.product_version.product)

    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "—" not in rows
    assert "<td>Aucune exigence notée (non applicables)</td><td>100 %</td>" in rows


def test_no_panel_before_any_validation():
    assessment = AssessmentFactory(submitted=True)

    assert render("section_comparison_panel", assessment.product_version.product).strip() == ""


def test_product_page_places_both_panels_without_querying_for_them(vendor_client_factory):
    client = vendor_client_factory(role="salarie")
    assessment = AssessmentFactory(validated=True, product_version__product__company=client.company)
    product = assessment.product_version.product

    page = client.get(
        reverse("portal:products:detail", kwargs={"public_id": product.public_id})
    ).content.decode()

    for name in ("history", "comparison"):
        url = reverse(f"portal:product_panels:{name}", kwargs={"public_id": product.public_id})
        assert f'data-hx-get="{url}" data-hx-trigger="load"' in page
        assert f'<a class="fr-link" href="{url}">' in page


def test_outsiders_get_a_404_and_the_panel_works_without_javascript():
    assessment = AssessmentFactory(validated=True)
    product = assessment.product_version.product
    outsider = member_client(AssessmentFactory().product_version.product.company)
    url = reverse("portal:product_panels:history", kwargs={"public_id": product.public_id})

    assert outsider.get(url).status_code == 404
    page = member_client(product.company).get(url).content.decode()
    assert "<h1>Historique — " in page
