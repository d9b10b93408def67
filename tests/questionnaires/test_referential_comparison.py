"""Reviewers see what changed between v1 and v2 of a questionnaire (issue 14)."""

import pytest
from django.urls import reverse

from questionnaires.comparison import compare
from questionnaires.selectors import version_definition
from tests.questionnaires.factories import import_real_definitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    old = import_real_definitions(1)
    new = import_real_definitions(2)
    return old, new


def codes(items):
    return {entry["code"] if "code" in entry else entry["item"]["code"] for entry in items}


def test_a08_comparison_lists_removed_changed_reworded_items(pair):
    old, new = pair
    result = compare(
        version_definition(old["interoperabilite"].pk), version_definition(new["interoperabilite"].pk)
    )
    assert codes(result.removed) == {"A08.5.21", "A08.5.22", "A08.5.43", "A08.5.44"}
    assert result.added == []
    assert codes(result.meaning_changed) == {"A08.3.1", "A08.4.1", "A08.3.5", "A08.4.6"}
    reworded = {pair["item"]["code"]: pair["fields"] for pair in result.reworded}
    assert "intitulé" in reworded["A08.4.3"] and "descriptions des niveaux" in reworded["A08.3.2"]
    assert result.profiles_changed == []


def test_security_comparison_lists_new_items_rules_and_questions(pair):
    old, new = pair
    result = compare(version_definition(old["securite"].pk), version_definition(new["securite"].pk))
    assert codes(result.added) == {"SEC.2.5"}
    rules = {pair["item"]["code"]: pair["fields"] for pair in result.rules_changed}
    assert rules["SEC.5.1"] == ["« non applicable » autorisé", "condition de la non-applicabilité"]
    assert "déclaration sur l'honneur" in rules["SEC.1.5"] and "condition d'applicabilité" in rules["SEC.1.5"]
    assert "condition d'applicabilité" in rules["SEC.1.2"]
    assert len(result.questions_added) == 1 and "héberge lui-même" in result.questions_added[0]


def test_reviewer_reads_the_comparison_page(reviewer_client, pair, django_assert_max_num_queries):
    _, new = pair
    url = reverse("review:referentials:comparison", args=[new["interoperabilite"].public_id])
    with django_assert_max_num_queries(20):
        response = reviewer_client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "de la version 1 à la version 2" in content
    assert "A08.5.21 — Production — Document non structuré encapsulé" in content
    assert "Niveaux qui ont changé de sens" in content and "A08.3.1" in content
    detail = reviewer_client.get(
        reverse("review:referentials:version", args=[new["interoperabilite"].public_id])
    )
    assert url in detail.content.decode()


def test_a_first_version_has_nothing_to_compare(reviewer_client, pair):
    old, _ = pair
    url = reverse("review:referentials:comparison", args=[old["interoperabilite"].public_id])
    assert "rien à comparer" in reviewer_client.get(url).content.decode()
