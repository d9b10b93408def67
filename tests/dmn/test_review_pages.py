"""Back-office pages of DMN candidatures: the queue and its state filter, the candidature page with
its questionnaires, taking it, deciding it (a comment required to send back or refuse); reviewers
only, with the second factor; query budgets."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Assessment, State
from dmn import services
from dmn.models import Candidature, CandidatureTransition, Grouping, Line
from review.dmn.forms import COMMENT_REQUIRED
from tests.accounts.factories import UserFactory
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.dmn.factories import complete_candidature, file_candidatures, import_dmn, operator
from tests.products.factories import ProductVersionFactory

pytestmark = pytest.mark.django_db

TWO_LINES = [Line.DIABETE, Line.CARDIAQUE]
LIST = reverse("review:dmn:list")


@pytest.fixture(autouse=True)
def dmn_questionnaires(db):
    return import_dmn()


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def submitted(lines=TWO_LINES, grouping=Grouping.TOGETHER, product_version=None):
    product_version, user = operator(product_version)
    candidatures = file_candidatures(product_version, user, lines, grouping)
    for candidature in candidatures:
        complete_candidature(candidature, user)
        services.candidature_submit(candidature=candidature, actor=user)
    return candidatures


def detail_url(candidature) -> str:
    return reverse("review:dmn:detail", args=[candidature.public_id])


def test_the_queue_lists_submitted_candidatures_and_filters_by_state(reviewer_client):
    (waiting,) = submitted([Line.DIABETE])
    (taken,) = submitted([Line.RENAL])
    services.candidature_take(candidature=taken, actor=reviewer_client.user)
    product_version, user = operator()
    (draft,) = file_candidatures(product_version, user, [Line.PROTHESES])
    html = page(reviewer_client.get(LIST))
    assert detail_url(waiting) in html and detail_url(taken) in html
    assert detail_url(draft) not in html  # a draft belongs to the vendor
    filtered = page(reviewer_client.get(LIST, {"statut": State.IN_REVIEW}))
    assert detail_url(taken) in filtered and detail_url(waiting) not in filtered


def test_the_back_office_navigation_links_the_dmn_queue(reviewer_client):
    assert f'href="{LIST}"' in page(reviewer_client.get(reverse("review:dashboard:index")))


def test_a_draft_is_a_404_for_reviewers(reviewer_client):
    product_version, user = operator()
    (draft,) = file_candidatures(product_version, user, [Line.DIABETE])
    assert reviewer_client.get(detail_url(draft)).status_code == 404


def test_the_page_links_each_questionnaire_to_its_instruction_and_proofs(reviewer_client):
    (candidature,) = submitted()
    html = page(reviewer_client.get(detail_url(candidature)))
    for assessment in services.candidature_assessments(candidature):
        assert reverse("review:assessments:detail", args=[assessment.public_id]) in html
        assert reverse("review:proofs:list", args=[assessment.public_id]) in html
    assert reverse("review:dmn:take", args=[candidature.public_id]) in html


def test_taking_puts_the_candidature_and_its_questionnaires_in_review(reviewer_client):
    (candidature,) = submitted()
    response = reviewer_client.post(reverse("review:dmn:take", args=[candidature.public_id]))
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert candidature.state == State.IN_REVIEW and candidature.reviewer == reviewer_client.user
    assert {a.state for a in services.candidature_assessments(candidature)} == {State.IN_REVIEW}
    html = page(reviewer_client.get(detail_url(candidature)))
    assert reverse("review:dmn:decide", args=[candidature.public_id]) in html
    assert "Soumise → En instruction" in html


@pytest.mark.parametrize("decision", [services.Decision.REQUEST_CHANGES, services.Decision.REFUSE])
def test_sending_back_or_refusing_needs_a_comment(reviewer_client, decision):
    (candidature,) = submitted()
    services.candidature_take(candidature=candidature, actor=reviewer_client.user)
    url = reverse("review:dmn:decide", args=[candidature.public_id])
    response = reviewer_client.post(url, {"decision": decision, "comment": "  "})
    assert response.status_code == 400
    assert escape(COMMENT_REQUIRED).replace("&#x27;", "'") in page(response)
    assert Candidature.objects.get(pk=candidature.pk).state == State.IN_REVIEW
    comment = "Le rapport de tests de l'alerte d'hypoglycémie sévère n'est pas daté."
    response = reviewer_client.post(url, {"decision": decision, "comment": comment})
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert candidature.state == services.Decision.CHOICES[decision]
    assert CandidatureTransition.objects.filter(candidature=candidature, comment=comment).exists()


def test_validating_needs_no_comment_and_validates_every_questionnaire(reviewer_client):
    (candidature,) = submitted()
    services.candidature_take(candidature=candidature, actor=reviewer_client.user)
    response = reviewer_client.post(
        reverse("review:dmn:decide", args=[candidature.public_id]), {"decision": services.Decision.VALIDATE}
    )
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert candidature.state == State.VALIDATED
    ids = [a.pk for a in services.candidature_assessments(candidature)]
    assert set(Assessment.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.VALIDATED}


def test_only_the_reviewer_who_took_it_may_decide(reviewer_client):
    (candidature,) = submitted()
    services.candidature_take(candidature=candidature, actor=UserFactory(reviewer=True))
    html = page(reviewer_client.get(detail_url(candidature)))
    assert reverse("review:dmn:decide", args=[candidature.public_id]) not in html
    response = reviewer_client.post(
        reverse("review:dmn:decide", args=[candidature.public_id]), {"decision": services.Decision.VALIDATE}
    )
    assert response.status_code == 400
    assert Candidature.objects.get(pk=candidature.pk).state == State.IN_REVIEW


@pytest.mark.parametrize("name", ["list", "detail", "take", "decide"])
def test_vendors_are_refused_even_their_own_candidature(name):
    (candidature,) = submitted()
    vendor = candidature.created_by
    accept_current_terms(vendor)
    client = verified_login(Client(), vendor)
    url = LIST if name == "list" else reverse(f"review:dmn:{name}", args=[candidature.public_id])
    response = client.post(url) if name in ("take", "decide") else client.get(url)
    assert response.status_code == 403
    assert Candidature.objects.get(pk=candidature.pk).state == State.SUBMITTED


@pytest.mark.parametrize("count", [1, 5])
def test_queue_query_count_is_constant(reviewer_client, count, django_assert_max_num_queries):
    version = ProductVersionFactory()
    for line in list(Line.values)[:count]:
        submitted([line], product_version=version)
    with django_assert_max_num_queries(6):
        response = reviewer_client.get(LIST)
    assert page(response).count(reverse("review:dmn:list")) >= 1
    assert page(response).count('href="/instruction/candidatures-dmn/') - 1 == count


@pytest.mark.parametrize("lines", [[Line.DIABETE], list(Line.values)])
def test_detail_query_count_is_constant(reviewer_client, lines, django_assert_max_num_queries):
    (candidature,) = submitted(lines)
    reviewer_client.get(detail_url(candidature))  # the questionnaire definitions are memoised after
    with django_assert_max_num_queries(7):
        response = reviewer_client.get(detail_url(candidature))
    assert page(response).count("Spécifications techniques") == len(lines)


def test_a_dmn_questionnaire_is_instructed_on_its_page_but_decided_on_its_candidature(reviewer_client):
    from assessments.workflow import REVIEW_WITH_CANDIDATURE

    (candidature,) = submitted([Line.DIABETE])
    services.candidature_take(candidature=candidature, actor=reviewer_client.user)
    line = candidature.lines.get().assessment
    url = reverse("review:assessments:detail", args=[line.public_id])
    html = page(reviewer_client.get(url))
    assert detail_url(candidature) in html
    assert reverse("review:assessments:decide", args=[line.public_id]) not in html
    assert reverse("review:assessments:comment", args=[line.public_id]) in html  # comments stay here
    response = reviewer_client.post(
        reverse("review:assessments:decide", args=[line.public_id]), {"decision": "valider"}
    )
    assert response.status_code == 400 and REVIEW_WITH_CANDIDATURE in page(response)
    assert Assessment.objects.get(pk=line.pk).state == State.IN_REVIEW


def test_a_dmn_questionnaire_is_not_taken_alone(reviewer_client):
    from assessments.workflow import REVIEW_WITH_CANDIDATURE

    (candidature,) = submitted([Line.DIABETE])
    line = candidature.lines.get().assessment
    html = page(reviewer_client.get(reverse("review:assessments:detail", args=[line.public_id])))
    assert reverse("review:assessments:take", args=[line.public_id]) not in html
    response = reviewer_client.post(reverse("review:assessments:take", args=[line.public_id]), follow=True)
    assert REVIEW_WITH_CANDIDATURE in page(response)
    assert Assessment.objects.get(pk=line.pk).state == State.SUBMITTED


def test_the_reviewer_comments_and_verifies_proofs_of_a_questionnaire_taken_with_its_candidature(
    reviewer_client,
):
    (candidature,) = submitted([Line.DIABETE])
    services.candidature_take(candidature=candidature, actor=reviewer_client.user)
    line = candidature.lines.get().assessment
    html = page(reviewer_client.get(reverse("review:assessments:detail", args=[line.public_id])))
    assert "Ajouter le commentaire" in html and "Commenter l'exigence" in html
    assert "seul cet instructeur peut commenter" not in html
    proofs = page(reviewer_client.get(reverse("review:proofs:list", args=[line.public_id])))
    assert "Les vérifications se saisissent pendant l'instruction" not in proofs


def test_the_self_assessment_queues_leave_dmn_questionnaires_to_the_dmn_queue(reviewer_client):
    (candidature,) = submitted([Line.DIABETE])
    line = candidature.lines.get().assessment
    for name in ("review:dashboard:index", "review:assessments:list"):
        html = page(reviewer_client.get(reverse(name)))
        assert reverse("review:assessments:detail", args=[line.public_id]) not in html
        assert "Spécifications techniques" not in html  # nor in the questionnaire filter
    assert detail_url(candidature) in page(reviewer_client.get(LIST))
