"""Back-office referential pages: reviewer only, readable, constant query count."""

import pytest
from django.urls import reverse

from questionnaires.models import QuestionnaireVersion
from questionnaires.selectors import _definitions
from tests.accounts.factories import UserFactory
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.questionnaires.factories import (
    QuestionnaireFactory,
    QuestionnaireVersionFactory,
    import_real_definitions,
)

pytestmark = pytest.mark.django_db
LIST_URL = reverse("review:referentials:list")


@pytest.fixture
def a08():
    return import_real_definitions()["interoperabilite"]


def version_url(version: QuestionnaireVersion) -> str:
    return reverse("review:referentials:version", args=[version.public_id])


@pytest.mark.parametrize("url", [lambda version: LIST_URL, version_url])
def test_anonymous_is_sent_to_login(client, a08, url):
    response = client.get(url(a08))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [lambda version: LIST_URL, version_url])
def test_non_reviewer_gets_403(client, a08, url):
    user = UserFactory()
    accept_current_terms(user)
    verified_login(client, user)
    assert client.get(url(a08)).status_code == 403


def test_reviewer_sees_questionnaires_and_versions(reviewer_client, a08):
    response = reviewer_client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Interopérabilité (A08)" in page
    assert "Sécurité" in page
    assert version_url(a08) in page


def test_list_query_count_does_not_grow_with_rows(
    reviewer_client, django_assert_num_queries, django_assert_max_num_queries
):
    # Numbered here: the factory's sequence depends on the tests run before in the process, and a
    # "Version 3" (or 30…) of this one would be counted below.
    QuestionnaireVersionFactory(questionnaire=QuestionnaireFactory(code="un"), number=1, with_items=2)
    reviewer_client.get(LIST_URL)  # session and terms lookups warm up
    with django_assert_max_num_queries(10) as few:
        reviewer_client.get(LIST_URL)
    for index in range(8):
        questionnaire = QuestionnaireFactory(code=f"q{index}")
        for number in (1, 2, 3):
            QuestionnaireVersionFactory(questionnaire=questionnaire, number=number, with_items=5)
    with django_assert_num_queries(len(few.captured_queries)):
        response = reviewer_client.get(LIST_URL)
    assert response.content.decode().count("Version 3") == 8


def test_version_page_reads_as_a_document(reviewer_client, a08):
    response = reviewer_client.get(version_url(a08))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A08.5.23 — Consommation — Structuration minimale des documents de santé" in page
    assert "Alimentation" in page
    assert "A08.5.01 au niveau vert" in page
    assert "A08.5.23 au moins au niveau jaune" in page
    assert "Le produit ne lit pas les documents CDA reçus." in page  # a level description
    assert "« Non applicable » n'est pas accepté." in page
    assert "S'applique seulement si" in page


def test_version_page_query_count_does_not_grow_with_items(reviewer_client, django_assert_max_num_queries):
    small = QuestionnaireVersionFactory(with_items=5, publish=True)
    large = QuestionnaireVersionFactory(with_items=300, publish=True)
    reviewer_client.get(version_url(small))
    _definitions.clear()
    with django_assert_max_num_queries(12) as small_queries:
        reviewer_client.get(version_url(small))
    _definitions.clear()
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        response = reviewer_client.get(version_url(large))
    assert response.content.decode().count("Exigence 299") == 1


def test_unknown_version_is_404(reviewer_client):
    url = reverse("review:referentials:version", args=["00000000-0000-0000-0000-000000000000"])
    assert reviewer_client.get(url).status_code == 404
