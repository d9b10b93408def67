"""A person who belongs to several companies works, on a page, with their role in the company that
owns what the page shows; the portal then stays in that company."""

import pytest
from django.urls import reverse

from audit.models import UserEvent
from companies.current import MEMBERSHIPS_KEY, SESSION_KEY
from companies.models import Company, Membership, Role
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


# --- The memberships kept in the session ------------------------------------------------------------------
def home(client) -> str:
    return client.get(reverse("portal:home")).content.decode()


def switcher(page: str) -> list[str]:
    """The entries of the company switcher: « company — role »."""
    return [option.split(">", 1)[1].split("</option>", 1)[0] for option in page.split("<option ")[1:]]


def membership_reads(queries) -> list[str]:
    return [query["sql"] for query in queries if 'FROM "companies_membership"' in query["sql"]]


def test_the_memberships_are_read_once_then_kept_in_the_session(person, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as first:
        assert switcher(home(person)) == ["Alpha Santé — Salarié", "Bêta Logiciels — Mandataire"]
    assert len(membership_reads(first.captured_queries)) == 1
    with django_assert_max_num_queries(len(first.captured_queries) - 1) as next_page:
        assert switcher(home(person)) == ["Alpha Santé — Salarié", "Bêta Logiciels — Mandataire"]
    assert membership_reads(next_page.captured_queries) == []
    # What the session keeps: plain data of the person's own memberships.
    kept = person.session[MEMBERSHIPS_KEY]
    assert kept["user"] == person.user.pk
    assert [row[1:] for row in kept["rows"]] == [
        ["salarie", person.company.pk, str(person.company.public_id), "Alpha Santé"],
        ["mandataire", person.beta.pk, str(person.beta.public_id), "Bêta Logiciels"],
    ]


def test_the_first_page_after_login_reads_no_membership(vendor_client_factory, django_assert_max_num_queries):
    """The login keeps the memberships in the session (with its own session write)."""
    client = vendor_client_factory(role=Role.SALARIE, company=CompanyFactory(name="Alpha Santé"))
    with django_assert_max_num_queries(20) as queries:
        assert "Entreprise : <strong>Alpha Santé</strong>" in home(client)
    assert membership_reads(queries.captured_queries) == []
    assert not [query for query in queries.captured_queries if "django_session" in query["sql"]]


def test_every_change_of_the_memberships_shows_on_the_next_page(person):
    """Whoever makes the change (a bulk update here, as the admin site or SQL would), the next page
    reads the memberships again: a kept list never outlives a change."""
    beta_assessment = assessment_of(person.beta)
    home(person)
    Membership.objects.filter(user=person.user, company=person.beta).update(role=Role.REPRESENTANT)
    assert switcher(home(person)) == ["Alpha Santé — Salarié", "Bêta Logiciels — Représentant"]
    Company.objects.filter(pk=person.company.pk).update(name="Alpha Santé Groupe")
    assert switcher(home(person)) == ["Alpha Santé Groupe — Salarié", "Bêta Logiciels — Représentant"]
    gamma = MembershipFactory(user=person.user, company=CompanyFactory(name="Gamma"), role=Role.SALARIE)
    assert switcher(home(person))[-1] == "Gamma — Salarié"
    gamma.delete()
    assert len(switcher(home(person))) == 2
    assert detail(person, beta_assessment).status_code == 200
    Company.objects.filter(pk=person.beta.pk).update(is_active=False)
    assert switcher(home(person)) == []  # one company left: no switcher
    assert detail(person, beta_assessment).status_code == 404


def test_a_change_elsewhere_in_the_company_keeps_the_list(person, django_assert_max_num_queries):
    """Only the person's own memberships and their companies' names and activity count: a colleague
    joining or the company's address changing reads nothing again."""
    home(person)
    MembershipFactory(company=person.beta)
    Company.objects.filter(pk=person.beta.pk).update(address="1 rue de la Paix, Paris")
    with django_assert_max_num_queries(20) as queries:
        home(person)
    assert membership_reads(queries.captured_queries) == []


def test_raising_the_version_writes_no_history_of_the_person(person):
    events = UserEvent.objects.filter(pgh_obj=person.user)
    before = events.count()
    Membership.objects.filter(user=person.user).update(role=Role.REPRESENTANT)
    person.user.refresh_from_db()
    assert person.user.memberships_version > 0
    assert events.count() == before
