import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from assessments import services as assessment_services
from assessments.models import Assessment, State
from tests.accounts.helpers import reviewer_client as reviewer_client_for
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.companies.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("review:dashboard:index")
LIST = reverse("review:assessments:list")


def many_assessments(count: int, *, state: str, reviewer=None) -> list[Assessment]:
    """``count`` assessments on distinct products, brought to ``state`` through the services (taken by
    ``reviewer`` past submission), answering one small questionnaire version."""
    version = questionnaire_version(items=3)
    trait = {State.SUBMITTED: "submitted", State.IN_REVIEW: "in_review", State.VALIDATED: "validated"}[state]
    return [
        AssessmentFactory(questionnaire_version=version, reviewer=reviewer, **{trait: True})
        for _ in range(count)
    ]


def page_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    ("url", "state"),
    [
        (DASHBOARD, State.SUBMITTED),
        (LIST, State.VALIDATED),
        (DASHBOARD + "?file=mes_instructions&recherche=Dossier&profil=alimentation", State.IN_REVIEW),
    ],
)
def test_queue_pages_use_the_same_queries_for_3_and_30_rows(reviewer_client, url, state):
    # A first submission has nobody assigned yet; other states have the reviewer.
    reviewer = None if state == State.SUBMITTED else reviewer_client.user
    many_assessments(3, state=state, reviewer=reviewer)
    few, page = page_queries(reviewer_client, url)
    assert "3 évaluations" in page
    many_assessments(27, state=state, reviewer=reviewer)
    many, page = page_queries(reviewer_client, url)
    assert "30 évaluations" in page

    assert few == many
    assert many <= 15


def test_dashboard_shows_the_queues_with_their_counts_and_age(reviewer_client):
    submitted = AssessmentFactory(submitted=True)
    mine = AssessmentFactory(in_review=True, reviewer=reviewer_client.user)
    AssessmentFactory()  # a draft is the vendor's business

    page = reviewer_client.get(DASHBOARD).content.decode()

    assert submitted.product_version.product.display_name in page
    assert mine.product_version.product.display_name not in page  # not in the "to take" queue
    assert "1 évaluation</p>" in page
    assert "il y a" in page

    page = reviewer_client.get(DASHBOARD + "?file=mes_instructions").content.decode()
    assert mine.product_version.product.display_name in page
    assert submitted.product_version.product.display_name not in page


def resubmitted_to(reviewer) -> Assessment:
    """Submitted, taken by ``reviewer``, sent back for changes, then submitted again by the vendor."""
    assessment = AssessmentFactory(submitted=True)
    submitter = assessment.submissions.get().submitted_by
    assessment_services.assessment_take(assessment=assessment, actor=reviewer)
    assessment_services.assessment_request_changes(assessment=assessment, actor=reviewer, comment="Précisez.")
    assessment_services.assessment_submit(assessment=assessment, actor=submitter)
    return assessment


def test_a_resubmission_returns_to_the_reviewer_who_instructed_it(reviewer_client):
    assessment = resubmitted_to(reviewer_client.user)
    name = assessment.product_version.product.display_name

    assert name not in reviewer_client.get(DASHBOARD).content.decode()  # not "à prendre"
    page = reviewer_client.get(DASHBOARD + "?file=mes_instructions").content.decode()
    assert name in page and "Soumise" in page
    colleague = reviewer_client_for()
    assert name not in colleague.get(DASHBOARD + "?file=mes_instructions").content.decode()


def test_a_resubmission_to_a_reviewer_who_left_goes_to_the_general_queue(reviewer_client):
    former = UserFactory(reviewer=True)
    assessment = resubmitted_to(former)
    User.objects.filter(pk=former.pk).update(is_reviewer=False)
    page = reviewer_client.get(DASHBOARD).content.decode()
    assert assessment.product_version.product.display_name in page


def test_filters_and_search(reviewer_client):
    company = CompanyFactory(name="Clinique Logiciels")
    # Both reach Alimentation; only the wanted one reaches Consultation too (A08.5.23 at least jaune).
    wanted = AssessmentFactory(submitted=True, product_version__product__company=company)
    other = AssessmentFactory(submitted=True, levels={"A08.5.23": "rouge"})
    assert "consultation" in wanted.reached_profiles and "consultation" not in other.reached_profiles

    for query in (
        "recherche=clinique",
        f"recherche={company.siren}",
        f"entreprise={company.public_id}",
        "profil=consultation",
        f"questionnaire={wanted.questionnaire_version.questionnaire.code}",
        "statut=submitted&recherche=" + wanted.product_version.product.name,
    ):
        page = reviewer_client.get(f"{LIST}?{query}").content.decode()
        assert wanted.product_version.product.display_name in page, query
        assert other.product_version.product.display_name not in page, query


def test_unknown_filter_values_still_show_a_list(reviewer_client):
    AssessmentFactory(submitted=True)

    response = reviewer_client.get(LIST + "?statut=nimporte&entreprise=pas-un-uuid&page=999&file=autre")

    assert response.status_code == 200


def test_pagination_keeps_the_filters(reviewer_client):
    many_assessments(30, state=State.SUBMITTED)

    page = reviewer_client.get(LIST + "?statut=submitted").content.decode()

    assert "1 / 2" in page
    assert "?statut=submitted&amp;page=2" in page
