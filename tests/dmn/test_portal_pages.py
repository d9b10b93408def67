"""Vendor pages of the DMN candidature: the capacity declared on the product, filing (operator only,
1 to 5 lines, outside the lines, one candidature or one per line), the candidature page with its
questionnaires and submission, a new candidature for a new version; access and query budgets."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Assessment, State
from companies.models import Role
from dmn import services
from dmn.models import Candidature, Capacity, DeviceCapacity, Grouping, Line
from portal.dmn.forms import GROUPING_CONSEQUENCES, LINES_AND_OUTSIDE
from tests.accounts.factories import UserFactory
from tests.dmn.factories import complete_candidature, file_candidatures, import_dmn
from tests.products.factories import ProductVersionFactory

pytestmark = pytest.mark.django_db

TWO_LINES = [Line.DIABETE, Line.CARDIAQUE]


@pytest.fixture(autouse=True)
def dmn_questionnaires(db):
    return import_dmn()


@pytest.fixture
def mandataire(vendor_client_factory):
    return vendor_client_factory(role=Role.MANDATAIRE)


@pytest.fixture
def version(mandataire):
    return ProductVersionFactory(product__company=mandataire.company)


def page(response) -> str:
    """The page's text, apostrophes unescaped (a template's own text has them raw, a variable escaped)."""
    return response.content.decode().replace("&#x27;", "'")


def plain(text: str) -> str:
    return escape(text).replace("&#x27;", "'")


def create_url(version) -> str:
    return reverse("portal:dmn:create", args=[version.public_id])


def post_create(client, version, **data):
    payload = {"capacity": Capacity.OPERATOR, "grouping": Grouping.TOGETHER, **data}
    return client.post(create_url(version), payload)


# --- Capacity and the product page ---------------------------------------------------------------------
def test_the_candidature_entry_shows_on_the_product_page_once_the_operator_capacity_is_declared(
    mandataire, version
):
    product_url = reverse("portal:products:detail", args=[version.product.public_id])
    assert create_url(version) not in page(mandataire.get(product_url))
    response = mandataire.post(
        reverse("portal:dmn:capacity", args=[version.product.public_id]), {"capacity": Capacity.OPERATOR}
    )
    assert response.status_code == 302
    assert DeviceCapacity.objects.get(product=version.product).capacity == Capacity.OPERATOR
    assert create_url(version) in page(mandataire.get(product_url))


def test_a_manufacturer_sees_why_it_cannot_file(mandataire, version):
    mandataire.post(
        reverse("portal:dmn:capacity", args=[version.product.public_id]), {"capacity": Capacity.MANUFACTURER}
    )
    product_page = page(mandataire.get(reverse("portal:products:detail", args=[version.product.public_id])))
    assert create_url(version) not in product_page
    assert "Seul l'exploitant du dispositif peut déposer une candidature DMN" in product_page


# --- Filing ---------------------------------------------------------------------------------------------
def test_only_an_operator_files_and_nothing_typed_is_lost(mandataire, version):
    response = post_create(mandataire, version, capacity=Capacity.DISTRIBUTOR, lines=[Line.RENAL])
    assert response.status_code == 422
    html = page(response)
    assert plain(services.OPERATOR_ONLY) in html
    assert 'value="renal" id="id_lines_1" checked' in html
    assert 'value="distributeur" id="id_capacity_2" required aria-invalid="true" checked' in html
    assert not Candidature.objects.exists() and not Assessment.objects.exists()
    assert not DeviceCapacity.objects.exists()  # the refused filing declared nothing either


def test_at_least_one_line_is_asked_for(mandataire, version):
    response = post_create(mandataire, version, lines=[])
    assert response.status_code == 422
    assert plain(services.NO_LINE) in page(response)
    assert not Candidature.objects.exists()


def test_an_unknown_line_is_refused_by_the_form(mandataire, version):
    response = post_create(mandataire, version, lines=["oncologie"])
    assert response.status_code == 422
    assert not Candidature.objects.exists()


def test_five_lines_under_one_candidature(mandataire, version):
    response = post_create(mandataire, version, lines=list(Line.values))
    (candidature,) = Candidature.objects.all()
    assert response.status_code == 302
    assert response.url == reverse("portal:dmn:detail", args=[candidature.public_id])
    assert candidature.lines.count() == 5 and candidature.grouping == Grouping.TOGETHER
    assert DeviceCapacity.objects.get(product=version.product).capacity == Capacity.OPERATOR


def test_one_candidature_per_line_when_chosen(mandataire, version):
    response = post_create(mandataire, version, lines=TWO_LINES, grouping=Grouping.PER_LINE)
    assert response.status_code == 302 and response.url == reverse("portal:dmn:list")
    candidatures = Candidature.objects.all()
    assert candidatures.count() == 2
    assert sorted(c.lines.get().line for c in candidatures) == sorted(TWO_LINES)
    assert len({c.referential_id for c in candidatures}) == 1


def test_outside_the_lines_says_so_plainly_and_creates_nothing(mandataire, version):
    response = post_create(mandataire, version, outside="on")
    assert response.status_code == 200
    assert plain(services.OUTSIDE_LINES) in page(response)
    assert not Candidature.objects.exists() and not Assessment.objects.exists()


def test_lines_and_outside_together_are_refused(mandataire, version):
    response = post_create(mandataire, version, outside="on", lines=[Line.DIABETE])
    assert response.status_code == 422
    assert plain(LINES_AND_OUTSIDE) in page(response)
    assert not Candidature.objects.exists()


def test_the_form_writes_the_consequence_of_each_grouping(mandataire, version):
    html = page(mandataire.get(create_url(version)))
    for consequence in GROUPING_CONSEQUENCES.values():
        assert plain(consequence) in html


def test_a_salarie_reads_but_cannot_file_or_submit(vendor_client_factory, mandataire, version):
    (candidature,) = file_candidatures(version, mandataire.user, [Line.DIABETE])
    salarie = vendor_client_factory(role=Role.SALARIE, company=mandataire.company)
    detail = salarie.get(reverse("portal:dmn:detail", args=[candidature.public_id]))
    assert detail.status_code == 200
    assert reverse("portal:dmn:submit", args=[candidature.public_id]) not in page(detail)
    assert "Seuls le mandataire et les représentants" in page(detail)
    assert salarie.get(create_url(version)).status_code == 403
    assert salarie.post(reverse("portal:dmn:submit", args=[candidature.public_id])).status_code == 403


@pytest.mark.parametrize("name", ["detail", "submit", "renew"])
def test_another_company_gets_404(vendor_client_factory, mandataire, version, name):
    (candidature,) = file_candidatures(version, mandataire.user, [Line.DIABETE])
    outsider = vendor_client_factory(role=Role.MANDATAIRE)
    url = reverse(f"portal:dmn:{name}", args=[candidature.public_id])
    response = outsider.post(url) if name == "submit" else outsider.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["create", "capacity"])
def test_another_company_gets_404_on_the_product_pages(vendor_client_factory, version, name):
    outsider = vendor_client_factory(role=Role.MANDATAIRE)
    target = version if name == "create" else version.product
    assert outsider.get(reverse(f"portal:dmn:{name}", args=[target.public_id])).status_code == 404


def test_the_list_shows_only_the_company_candidatures(vendor_client_factory, mandataire, version):
    file_candidatures(version, mandataire.user, [Line.DIABETE])
    other_version = ProductVersionFactory()
    other_user = vendor_client_factory(role=Role.MANDATAIRE, company=other_version.product.company).user
    file_candidatures(other_version, other_user, [Line.RENAL])
    html = page(mandataire.get(reverse("portal:dmn:list")))
    assert "Diabète" in html and "Insuffisance rénale chronique" not in html


# --- The candidature page and its submission --------------------------------------------------------------
def test_the_page_links_each_questionnaire_to_its_own_pages(mandataire, version):
    (candidature,) = file_candidatures(version, mandataire.user, TWO_LINES)
    html = page(mandataire.get(reverse("portal:dmn:detail", args=[candidature.public_id])))
    for assessment in services.candidature_assessments(candidature):
        assert reverse("portal:assessments:detail", args=[assessment.public_id]) in html
    assert "Insuffisance cardiaque chronique" in html and "Diabète" in html


def test_a_dmn_questionnaire_page_sends_to_its_candidature_to_submit(mandataire, version):
    (candidature,) = file_candidatures(version, mandataire.user, [Line.DIABETE])
    line = candidature.lines.get().assessment
    html = page(mandataire.get(reverse("portal:assessments:detail", args=[line.public_id])))
    assert reverse("portal:dmn:detail", args=[candidature.public_id]) in html
    assert reverse("portal:assessments:submit", args=[line.public_id]) not in html


def test_an_incomplete_candidature_is_not_submitted_and_the_page_lists_what_is_missing(mandataire, version):
    (candidature,) = file_candidatures(version, mandataire.user, [Line.DIABETE])
    response = mandataire.post(reverse("portal:dmn:submit", args=[candidature.public_id]))
    assert response.status_code == 422
    html = page(response)
    assert "La candidature n'est pas soumise" in html
    referential = Assessment.objects.get(pk=candidature.referential_id)
    assert reverse("portal:assessments:section", args=[referential.public_id, 0]) in html
    assert "sans réponse" in html
    candidature.refresh_from_db()
    assert candidature.state == State.DRAFT


def test_a_complete_candidature_is_submitted(mandataire, version):
    (candidature,) = file_candidatures(version, mandataire.user, TWO_LINES)
    complete_candidature(candidature, mandataire.user)
    response = mandataire.post(reverse("portal:dmn:submit", args=[candidature.public_id]))
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert candidature.state == State.SUBMITTED
    assert {a.state for a in services.candidature_assessments(candidature)} == {State.SUBMITTED}
    html = page(mandataire.get(reverse("portal:dmn:detail", args=[candidature.public_id])))
    assert "Brouillon → Soumise" in html


# --- A new version of the device ----------------------------------------------------------------------------
def _validated(version, user, lines, grouping):
    candidatures = file_candidatures(version, user, lines, grouping)
    reviewer = UserFactory(reviewer=True)
    for candidature in candidatures:
        complete_candidature(candidature, user)
        services.candidature_submit(candidature=candidature, actor=user)
        services.candidature_take(candidature=candidature, actor=reviewer)
        services.candidature_decide(
            candidature=candidature, decision=services.Decision.VALIDATE, actor=reviewer
        )
    return candidatures


def test_a_new_candidature_from_a_validated_one_per_line_carries_the_impacted_line_only(mandataire, version):
    diabetes, heart = _validated(version, mandataire.user, TWO_LINES, Grouping.PER_LINE)
    new_version = ProductVersionFactory(product=version.product, label="6.0 dmn")
    detail = page(mandataire.get(reverse("portal:dmn:detail", args=[heart.public_id])))
    renew_url = reverse("portal:dmn:renew", args=[heart.public_id])
    assert renew_url in detail
    assert reverse("portal:dmn:detail", args=[diabetes.public_id]) in detail  # the other line's
    assert "6.0 dmn" in page(mandataire.get(renew_url))
    response = mandataire.post(renew_url, {"product_version": str(new_version.public_id)})
    renewed = Candidature.objects.get(product_version=new_version)
    assert response.status_code == 302
    assert response.url == reverse("portal:dmn:detail", args=[renewed.public_id])
    assert renewed.carried_from == heart and [row.line for row in renewed.lines.all()] == [Line.CARDIAQUE]


def test_renewing_without_another_version_says_to_add_one(mandataire, version):
    (candidature,) = _validated(version, mandataire.user, [Line.DIABETE], Grouping.TOGETHER)
    html = page(mandataire.get(reverse("portal:dmn:renew", args=[candidature.public_id])))
    assert "Ce produit n'a pas d'autre version" in html


# --- Query budgets ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 6])
def test_list_query_count_is_constant(mandataire, count, django_assert_max_num_queries):
    for _ in range(count):
        file_candidatures(
            ProductVersionFactory(product__company=mandataire.company), mandataire.user, TWO_LINES
        )
    with django_assert_max_num_queries(5):
        response = mandataire.get(reverse("portal:dmn:list"))
    assert page(response).count("Insuffisance cardiaque chronique") == count


@pytest.mark.parametrize("lines", [[Line.DIABETE], list(Line.values)])
def test_detail_query_count_is_constant(mandataire, version, lines, django_assert_max_num_queries):
    (candidature,) = file_candidatures(version, mandataire.user, lines)
    url = reverse("portal:dmn:detail", args=[candidature.public_id])
    mandataire.get(url)  # the questionnaire definitions are read once per process, then memoised
    with django_assert_max_num_queries(7):
        response = mandataire.get(url)
    assert page(response).count("Spécifications techniques") == len(lines)


def test_a_dmn_questionnaire_is_not_submitted_alone(mandataire, version):
    from assessments.workflow import SUBMIT_WITH_CANDIDATURE

    (candidature,) = file_candidatures(version, mandataire.user, [Line.DIABETE])
    complete_candidature(candidature, mandataire.user)
    line = candidature.lines.get().assessment
    response = mandataire.post(reverse("portal:assessments:submit", args=[line.public_id]), follow=True)
    assert SUBMIT_WITH_CANDIDATURE in page(response)
    assert Assessment.objects.get(pk=line.pk).state == State.DRAFT


def test_lines_are_listed_in_the_referential_order(mandataire, version):
    """Diabète before the cardiac line, as in the referential (their codes sort the other way)."""
    (candidature,) = file_candidatures(version, mandataire.user, [Line.CARDIAQUE, Line.DIABETE])
    html = page(mandataire.get(reverse("portal:dmn:detail", args=[candidature.public_id])))
    assert "<dd>Diabète, Insuffisance cardiaque chronique</dd>" in html
    listed = page(mandataire.get(reverse("portal:dmn:list")))
    assert listed.index("Diabète") < listed.index("Insuffisance cardiaque chronique")
