"""/espace/produits/: list, create/edit with the uniqueness message, product page, versions, diff."""

import re

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Answer
from companies.models import Role
from portal.products.forms import IDENTITY_FIELD_LOCKED
from products.models import Product, ProductVersion
from products.services import (
    PRODUCT_DUPLICATE,
    PRODUCT_IDENTITY_LOCKED,
    VERSION_DUPLICATE,
    VERSION_LABEL_LOCKED,
)
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import CompanyFactory, UserFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("portal:products:list")
CREATE = reverse("portal:products:create")


def html(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def company():
    return CompanyFactory(name="Alpha Santé")


@pytest.fixture
def mandataire(vendor_client_factory, company):
    return vendor_client_factory(role=Role.MANDATAIRE, company=company)


@pytest.fixture
def salarie(vendor_client_factory, company):
    return vendor_client_factory(role=Role.SALARIE, company=company)


@pytest.fixture
def outsider(vendor_client_factory):
    return vendor_client_factory(role=Role.MANDATAIRE, company=CompanyFactory(name="Bêta Logiciels"))


PRODUCT_DATA = {
    "name": "Agenda Santé",
    "os": "android",
    "os_other": "",
    "device": "mobile",
    "commercial_name": "Mon Agenda",
    "description": "Prise de rendez-vous.",
    "nil_number": "",
    "certifications": "HDS",
}


# --- List ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [3, 40])
def test_list_query_count_is_constant(mandataire, company, rows, django_assert_max_num_queries):
    for product in ProductFactory.create_batch(rows, company=company):
        AssessmentFactory(product_version=ProductVersionFactory(product=product))
    with django_assert_max_num_queries(9):
        response = mandataire.get(LIST)
    assert response.status_code == 200
    assert html(response).count("Brouillon") == min(rows, 20)


def test_list_shows_only_the_current_company_and_the_profiles_reached(mandataire, company):
    assessment = AssessmentFactory(
        answered=True,
        product_version=ProductVersionFactory(product=ProductFactory(company=company, name="Dossier")),
    )
    ProductFactory(name="Produit d'un autre éditeur")
    page = html(mandataire.get(LIST))
    assert "Dossier Linux Site Web" in page
    assert "Produit d'un autre éditeur" not in page
    assert assessment.reached_profiles == ["alimentation", "consultation"]
    assert "Alimentation" in page and "Consultation" in page


def test_a_drafts_profiles_are_aimed_at_not_reached(mandataire, company):
    product = ProductFactory(company=company, name="Dossier")
    assessment = AssessmentFactory(answered=True, product_version=ProductVersionFactory(product=product))
    assert assessment.reached_profiles  # computed from the draft's answers
    for url in (LIST, reverse("portal:products:detail", args=[product.public_id])):
        page = html(mandataire.get(url))
        assert "atteint" not in page
        assert "Visés, non validés" in page and "Alimentation" in page


def test_a_validated_assessments_profiles_are_reached(mandataire, validated_version):
    page = html(mandataire.get(LIST))
    assert "Visés" not in page and "Aucun profil visé" not in page


def test_search_ignores_case_and_accents(mandataire, company):
    ProductFactory(company=company, name="Téléexpertise Pro")
    ProductFactory(company=company, name="Agenda")
    page = html(mandataire.get(LIST, {"q": "TELEEXPERTISE"}))
    assert "Téléexpertise Pro" in page
    assert "Agenda Linux" not in page


def test_list_paginates(mandataire, company):
    ProductFactory.create_batch(25, company=company)
    assert "1 / 2" in html(mandataire.get(LIST))
    assert mandataire.get(LIST, {"page": "999"}).status_code == 200
    assert mandataire.get(LIST, {"page": "abc"}).status_code == 200


# --- Create / edit --------------------------------------------------------------------------------
def test_salarie_creates_a_product_then_adds_its_version(salarie, company):
    response = salarie.post(CREATE, PRODUCT_DATA)
    product = Product.objects.get(company=company)
    assert response.status_code == 302
    assert response.url == reverse("portal:products:version_create", args=[product.public_id])
    assert product.display_name == "Agenda Santé Android Mobile"
    response = salarie.post(response.url, {"label": "2.1", "status": "production"})
    assert response.status_code == 302
    assert product.versions.get().label == "2.1"


def test_duplicate_product_is_refused_ignoring_case_and_accents_with_typed_values_kept(mandataire, company):
    mandataire.post(CREATE, PRODUCT_DATA)
    response = mandataire.post(
        CREATE, PRODUCT_DATA | {"name": "AGENDA SANTE", "commercial_name": "Autre nom"}
    )
    assert response.status_code == 200
    page = html(response)
    assert PRODUCT_DUPLICATE.format(name="Agenda Santé Android Mobile") in page
    assert 'value="Autre nom"' in page
    assert Product.objects.filter(company=company).count() == 1


def test_same_name_on_another_device_is_another_product(mandataire, company):
    mandataire.post(CREATE, PRODUCT_DATA)
    mandataire.post(CREATE, PRODUCT_DATA | {"device": "site_web"})
    assert Product.objects.filter(company=company).count() == 2


def test_other_os_must_be_named(mandataire, company):
    response = mandataire.post(CREATE, PRODUCT_DATA | {"os": "autre", "os_other": ""})
    assert "Précisez le système d'exploitation." in html(response)
    mandataire.post(CREATE, PRODUCT_DATA | {"os": "autre", "os_other": "HarmonyOS"})
    assert Product.objects.get(company=company).display_name == "Agenda Santé HarmonyOS Mobile"


def test_bad_input_never_crashes(mandataire):
    response = mandataire.post(CREATE, {"name": "x" * 500, "os": "amiga", "device": "montre"})
    assert response.status_code == 200
    assert not Product.objects.exists()


def test_edit_keeps_uniqueness(mandataire, company):
    ProductFactory(company=company, name="Agenda", os="ios", device="mobile")
    product = ProductFactory(company=company, name="Agenda", os="android", device="mobile")
    url = reverse("portal:products:edit", args=[product.public_id])
    response = mandataire.post(url, PRODUCT_DATA | {"name": "agenda", "os": "ios"})
    assert PRODUCT_DUPLICATE.format(name="Agenda iOS Mobile") in html(response)
    response = mandataire.post(url, PRODUCT_DATA | {"name": "Agenda", "commercial_name": "Agenda+"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.commercial_name == "Agenda+"


def test_duplicate_version_label_is_refused(mandataire, company):
    version = ProductVersionFactory(product=ProductFactory(company=company), label="3.0")
    url = reverse("portal:products:version_create", args=[version.product.public_id])
    response = mandataire.post(url, {"label": "3.0 ", "status": "production"})
    assert VERSION_DUPLICATE.format(label="3.0") in html(response)
    assert ProductVersion.objects.filter(product=version.product).count() == 1


# --- Access ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["portal:products:detail", "portal:products:edit", "portal:products:version_create"]
)
def test_outsider_gets_404(outsider, company, name):
    product = ProductFactory(company=company)
    assert outsider.get(reverse(name, args=[product.public_id])).status_code == 404


def test_outsider_cannot_edit_a_version(outsider, company):
    version = ProductVersionFactory(product=ProductFactory(company=company))
    url = reverse("portal:products:version_edit", args=[version.public_id])
    assert outsider.post(url, {"label": "x", "status": "production"}).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_reviewer_without_company_gets_404(reviewer_client):
    assert reviewer_client.get(LIST).status_code == 404


def test_create_form_explains_why_os_and_device_words_are_refused(mandataire, company):
    data = PRODUCT_DATA | {"name": "Agenda Santé Android Mobile"}
    response = mandataire.post(CREATE, data)
    assert response.status_code == 200
    page = html(response)
    assert "Le nom du produit ne doit pas contenir « Android » et « Mobile »" in page
    assert "Saisissez le nom seul, « Agenda Santé »" in page
    assert not Product.objects.filter(company=company).exists()


# --- Product page and diff ------------------------------------------------------------------------
def resubmitted(company):
    """An assessment submitted, sent back by a reviewer, changed on two items and resubmitted."""
    assessment = AssessmentFactory(
        submitted=True, product_version=ProductVersionFactory(product=ProductFactory(company=company))
    )
    reviewer = UserFactory(reviewer=True)
    assessment_services.assessment_take(assessment=assessment, actor=reviewer)
    assessment_services.assessment_request_changes(assessment=assessment, actor=reviewer, comment="Précisez.")
    for code, level, comment in (("A08.5.23", "orange", ""), ("X.001", "jaune", "Détail ajouté.")):
        answer = Answer.objects.get(assessment=assessment, item__code=code)
        assessment_services.answer_save(
            assessment=assessment,
            item_code=code,
            level=level,
            comment=comment,
            expected_revision=answer.revision,
            actor=None,
        )
    submitter = assessment.submissions.get().submitted_by
    assessment_services.assessment_submit(assessment=assessment, actor=submitter)
    return assessment


@pytest.mark.parametrize("versions", [1, 12])
def test_product_page_query_count_is_constant(mandataire, company, versions, django_assert_max_num_queries):
    product = ProductFactory(company=company)
    for _ in range(versions):
        AssessmentFactory(product_version=ProductVersionFactory(product=product))
    with django_assert_max_num_queries(10):
        response = mandataire.get(reverse("portal:products:detail", args=[product.public_id]))
    assert response.status_code == 200
    assert html(response).count("Évaluer la version") == versions


def test_product_page_shows_the_diff_between_two_submissions(mandataire, company):
    assessment = resubmitted(company)
    first, second = assessment.submissions.order_by("number")
    key = f"{assessment.public_id}"
    url = reverse("portal:products:detail", args=[assessment.product_version.product.public_id])
    page = html(mandataire.get(url, {"avant": f"{key}.1", "apres": f"{key}.2"}))
    assert "2 exigence(s) modifiée(s)" in page
    assert "A08.5.23" in page and "vert" in page and "orange" in page
    assert "Détail ajouté." in page
    assert first.answers["A08.3.1"] == second.answers["A08.3.1"]


def _selects(page: str) -> dict[str, list[tuple[str, bool]]]:
    """Each compare select's options: {select id: [(value, selected)]}."""
    selects = re.findall(
        r'<select class="fr-select" id="([^"]+)" name="(?:avant|apres)">(.*?)</select>', page
    )
    return {
        select_id: [
            (value, bool(selected)) for value, selected in re.findall(r'value="([^"]+)"( selected)?', body)
        ]
        for select_id, body in selects
    }


def test_compare_offers_only_pairs_of_one_version_defaulting_to_the_last_two(mandataire, company):
    assessment = resubmitted(company)
    product = assessment.product_version.product
    # Another version of the product, submitted once: nothing to compare it with.
    other = AssessmentFactory(submitted=True, product_version=ProductVersionFactory(product=product))
    page = html(mandataire.get(reverse("portal:products:detail", args=[product.public_id])))
    selects = _selects(page)
    key = assessment.product_version.public_id
    assert set(selects) == {f"avant-{key}", f"apres-{key}"}
    first, second = f"{assessment.public_id}.1", f"{assessment.public_id}.2"
    assert selects[f"avant-{key}"] == [(second, False), (first, True)]
    assert selects[f"apres-{key}"] == [(second, True), (first, False)]
    assert str(other.public_id) not in page.split('id="comparer"')[1]


def test_compare_keeps_the_pair_asked_for(mandataire, company):
    assessment = resubmitted(company)
    url = reverse("portal:products:detail", args=[assessment.product_version.product.public_id])
    first, second = f"{assessment.public_id}.1", f"{assessment.public_id}.2"
    selects = _selects(html(mandataire.get(url, {"avant": second, "apres": first})))
    key = assessment.product_version.public_id
    assert (second, True) in selects[f"avant-{key}"] and (first, True) in selects[f"apres-{key}"]


def test_unknown_diff_keys_give_a_message_not_a_crash(mandataire, company):
    assessment = resubmitted(company)
    url = reverse("portal:products:detail", args=[assessment.product_version.product.public_id])
    response = mandataire.get(url, {"avant": "nimporte", "apres": "quoi"})
    assert response.status_code == 200
    assert "Choisissez deux soumissions différentes" in html(response)


# --- Identity frozen once an assessment is validated ---------------------------------------------------
@pytest.fixture
def validated_version(company):
    product = ProductFactory(company=company, name="Agenda Santé", os="android", device="mobile")
    assessment = AssessmentFactory(submitted=True, product_version=ProductVersionFactory(product=product))
    reviewer = UserFactory(reviewer=True)
    assessment_services.assessment_take(assessment=assessment, actor=reviewer)
    assessment_services.assessment_validate(assessment=assessment, actor=reviewer)
    return assessment.product_version


def test_edit_page_of_a_validated_product_refuses_a_rename_and_says_why(mandataire, validated_version):
    product = validated_version.product
    url = reverse("portal:products:edit", args=[product.public_id])
    assert PRODUCT_IDENTITY_LOCKED in html(mandataire.get(url))

    response = mandataire.post(url, PRODUCT_DATA | {"name": "Agenda Pro", "description": "Changée"})

    assert response.status_code == 200
    assert PRODUCT_IDENTITY_LOCKED in html(response)
    assert IDENTITY_FIELD_LOCKED in html(response)
    product.refresh_from_db()
    assert (product.name, product.description) == (
        "Agenda Santé",
        "Logiciel de gestion du dossier patient en cabinet.",
    )


def test_description_of_a_validated_product_stays_editable_from_the_page(mandataire, validated_version):
    product = validated_version.product
    url = reverse("portal:products:edit", args=[product.public_id])
    data = PRODUCT_DATA | {"commercial_name": product.commercial_name, "description": "Nouvelle description."}

    response = mandataire.post(url, data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.description) == ("Agenda Santé", "Nouvelle description.")


def test_version_page_of_a_validated_version_refuses_a_new_label_and_says_why(mandataire, validated_version):
    url = reverse("portal:products:version_edit", args=[validated_version.public_id])
    label = validated_version.label
    assert VERSION_LABEL_LOCKED in html(mandataire.get(url))

    # Another label than the factory's, whatever it drew.
    response = mandataire.post(url, {"label": f"{label}-bis", "status": "obsolete"})

    assert response.status_code == 200
    assert VERSION_LABEL_LOCKED in html(response)
    validated_version.refresh_from_db()
    assert (validated_version.label, validated_version.status) == (label, "production")
    response = mandataire.post(url, {"label": label, "status": "obsolete"})
    assert response.status_code == 302
    validated_version.refresh_from_db()
    assert validated_version.status == "obsolete"
