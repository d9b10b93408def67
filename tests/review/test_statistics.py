import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.figures import MIN_PEER_COMPANIES, section_comparison, version_figures
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.icon_buttons import icon_only_buttons
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db

STATISTICS = reverse("review:statistics:index")


def validated(version, levels=None, default="vert", product_version=None):
    """Validated through the services, every applicable item at ``default`` but ``levels``; the
    profiles it reaches follow from its answers."""
    return AssessmentFactory(
        validated=True,
        questionnaire_version=version,
        level=default,
        rule_level=default,
        levels=levels,
        **({"product_version": product_version} if product_version else {}),
    )


def test_figures_count_the_latest_validated_assessment_of_each_product():
    # Sections of two items: S1 holds A08.3.1 and A08.4.1, S2 A08.4.3 and A08.5.01 (N/A allowed).
    version = questionnaire_version(items=6, per_section=2)
    first = validated(version, default="vert")  # both profiles, then superseded by the next version
    validated(
        version, levels={"A08.5.23": "rouge"}, product_version=same_company_product(first, same_product=True)
    )  # Alimentation only
    validated(version, levels={"A08.3.1": "orange", "A08.5.01": "na"}, default="jaune")  # no profile
    AssessmentFactory(submitted=True, questionnaire_version=version)  # not validated: not counted

    figures = version_figures(version=version)

    assert figures.products == 2
    assert {profile["code"]: profile["count"] for profile in figures.profiles} == {
        "administration": 0,
        "alimentation": 1,
        "consultation": 0,
    }
    first_item = figures.items[0]
    assert (first_item.code, first_item.counts) == ("A08.3.1", {"vert": 1, "orange": 1})
    assert figures.sections[0].counts == {"vert": 2, "orange": 1, "jaune": 1}
    assert figures.sections[1].counts == {"vert": 2, "jaune": 1, "na": 1}


def stats_queries(client, products: int) -> int:
    version = questionnaire_version()
    for _ in range(products):
        validated(version)
    url = f"{STATISTICS}?version={version.public_id}"
    client.get(url)  # the questionnaire structure is cached per published version
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    return len(queries)


def test_statistics_page_queries_do_not_grow_with_products(reviewer_client):
    assert stats_queries(reviewer_client, 2) == stats_queries(reviewer_client, 12)


def test_statistics_page_draws_svg_charts(reviewer_client):
    version = questionnaire_version()
    validated(version, levels={"A08.3.1": "rouge"})

    page = reviewer_client.get(STATISTICS + f"?version={version.public_id}").content.decode()

    assert 'role="img"' in page
    assert "Nombre de produits ayant atteint chaque profil" in page
    assert "Non implémenté : 1" in page  # the A08.3.1 bar's red segment


def test_csv_export_buttons_show_their_labels(reviewer_client):
    version = questionnaire_version()
    validated(version)
    page = reviewer_client.get(STATISTICS + f"?version={version.public_id}").content.decode()
    assert "Niveaux par section (CSV)" in page
    assert icon_only_buttons(page) == []


def test_statistics_without_validated_assessments(reviewer_client):
    page = reviewer_client.get(STATISTICS).content.decode()

    assert "Aucune évaluation n'a encore été validée" in page


def test_csv_exports_the_same_tables(reviewer_client):
    version = questionnaire_version()
    validated(version, levels={"A08.3.1": "orange"})  # no profile
    validated(version)  # Alimentation and Consultation

    def table(slug):
        url = reverse(
            "review:statistics:export", kwargs={"version_public_id": version.public_id, "table": slug}
        )
        response = reviewer_client.get(url)
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    assert table("profils")[1:] == [
        ["alimentation", "Alimentation", "1", "2"],
        ["consultation", "Consultation", "1", "2"],
        ["administration", "Administration", "0", "2"],
    ]
    items = table("exigences")
    assert items[0][:6] == [
        "code",
        "intitulé",
        "Non implémenté",
        "Prévu ou non standard",
        "Partiellement conforme",
        "Conforme au volet du CI-SIS",
    ]
    title = "Connexion synchrone avec d'autres systèmes d'information"
    assert items[1] == ["A08.3.1", title, "0", "1", "0", "1", "0", "0", "2"]
    assert table("sections")[1][0] == "S1"


def test_unknown_export_is_a_404(reviewer_client):
    version = questionnaire_version()
    validated(version)
    url = reverse(
        "review:statistics:export", kwargs={"version_public_id": version.public_id, "table": "autre"}
    )

    assert reviewer_client.get(url).status_code == 404


# --- The vendor's comparison: peers only, from five other companies ----------------------------------
def same_company_product(assessment, *, same_product=False):
    """Another product of the company of ``assessment`` (another version of its product with
    ``same_product``)."""
    product = assessment.product_version.product
    if same_product:
        return ProductVersionFactory(product=product)
    return ProductVersionFactory(product=ProductFactory(company=product.company))


def test_comparison_is_hidden_with_four_other_companies():
    version = questionnaire_version()
    mine = validated(version, default="jaune")
    for _ in range(MIN_PEER_COMPANIES - 1):
        validated(version)

    result = section_comparison(assessment=mine)

    assert result == {"available": False, "companies": 4, "products": 4, "sections": []}


def test_comparison_with_five_other_companies_shows_own_level_and_their_average():
    version = questionnaire_version()
    mine = validated(version, default="jaune")  # rank 2 of 3
    for _ in range(MIN_PEER_COMPANIES):
        validated(version, default="vert")  # rank 3 of 3

    result = section_comparison(assessment=mine)

    assert result["available"] and (result["companies"], result["products"]) == (5, 5)
    first = result["sections"][0]
    assert (first.code, first.own, first.average) == ("S1", 67, 100)  # the others' only


def test_the_viewers_own_company_is_not_counted_nor_averaged():
    version = questionnaire_version()
    mine = validated(version, default="jaune")
    for _ in range(3):  # the same company's other products
        validated(version, default="rouge", product_version=same_company_product(mine))
    others = [validated(version, default="vert") for _ in range(MIN_PEER_COMPANIES - 1)]

    assert section_comparison(assessment=mine)["available"] is False  # 4 others, however many products

    validated(version, default="vert")  # a fifth other company
    result = section_comparison(assessment=mine)
    assert result["available"] and (result["companies"], result["products"]) == (5, 5)
    assert result["sections"][0].average == 100  # the own company's "rouge" products left out
    # Seen from one of the others, the viewer's company is a peer, counted once for its 4 products.
    seen_by_other = section_comparison(assessment=others[0])
    assert (seen_by_other["companies"], seen_by_other["products"]) == (5, 8)


def test_a_company_with_many_products_counts_once():
    version = questionnaire_version()
    mine = validated(version)
    big = validated(version)
    for _ in range(4):
        validated(version, product_version=same_company_product(big))
    for _ in range(MIN_PEER_COMPANIES - 2):
        validated(version)

    result = section_comparison(assessment=mine)

    assert result["available"] is False and (result["companies"], result["products"]) == (4, 8)
