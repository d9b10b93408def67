"""A person who belongs to several companies works, on a page, with their role in the company that
owns what the page shows; the portal then stays in that company."""

import pytest
from django.urls import reverse

from companies.current import SESSION_KEY
from companies.models import Role
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill
from tests.companies.factories import CompanyFactory, MembershipFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db
SUBMIT_HEADING = "Soumettre à l'agence"


def selected_company(page: str) -> str:
    """The company selected in the switcher of the portal header."""
    return page.split(" selected>", 1)[1].split(" — ", 1)[0]


@pytest.fixture
def person(vendor_client_factory):
    """Salariée of Alpha (first by name: the default company), mandataire of Bêta."""
    client = vendor_client_factory(role=Role.SALARIE, company=CompanyFactory(name="Alpha Santé"))
    beta = CompanyFactory(name="Bêta Logiciels")
    MembershipFactory(user=client.user, company=beta, role=Role.MANDATAIRE)
    client.beta = beta
    return client


def assessment_of(company):
    product_version = ProductVersionFactory(product=ProductFactory(company=company))
    assessment = AssessmentFactory(product_version=product_version, qualification=QUALIFIED)
    fill(assessment)
    return assessment


def detail(client, assessment):
    return client.get(reverse("portal:assessments:detail", args=[assessment.public_id]))


def test_role_of_the_owning_company_decides(person):
    alpha_assessment, beta_assessment = assessment_of(person.company), assessment_of(person.beta)
    assert SUBMIT_HEADING not in detail(person, alpha_assessment).content.decode()  # salariée
    page = detail(person, beta_assessment).content.decode()
    assert SUBMIT_HEADING in page  # mandataire of Bêta
    assert selected_company(page) == "Bêta Logiciels"
    assert person.session[SESSION_KEY] == str(person.beta.public_id)


def test_submitting_uses_the_role_in_the_owning_company(person):
    beta_assessment = assessment_of(person.beta)
    detail(person, beta_assessment)  # the page with the button: the portal is now in Bêta
    response = person.post(reverse("portal:assessments:submit", args=[beta_assessment.public_id]))
    assert response.status_code == 302
    beta_assessment.refresh_from_db()
    assert beta_assessment.state == "submitted"


def test_a_capability_missing_in_the_owning_company_is_refused(vendor_client_factory):
    """Mandataire of Alpha (the current company), salariée of Bêta: no submission for Bêta."""
    client = vendor_client_factory(role=Role.MANDATAIRE, company=CompanyFactory(name="Alpha Santé"))
    beta = CompanyFactory(name="Bêta Logiciels")
    MembershipFactory(user=client.user, company=beta, role=Role.SALARIE)
    beta_assessment = assessment_of(beta)
    response = client.post(reverse("portal:assessments:submit", args=[beta_assessment.public_id]))
    assert response.status_code == 403
    beta_assessment.refresh_from_db()
    assert beta_assessment.state == "draft"


def test_product_pages_follow_the_owning_company(person):
    product = ProductFactory(company=person.beta)
    page = person.get(reverse("portal:products:detail", args=[product.public_id])).content.decode()
    assert selected_company(page) == "Bêta Logiciels"
    assert person.session[SESSION_KEY] == str(person.beta.public_id)


def test_a_company_left_gives_404(person):
    beta_assessment = assessment_of(person.beta)
    person.user.memberships.filter(company=person.beta).update(is_active=False)
    assert detail(person, beta_assessment).status_code == 404
