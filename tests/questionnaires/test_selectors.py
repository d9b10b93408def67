"""version_definition: plain data, constant queries, memoised for published versions only."""

import pytest

from questionnaires.models import Item, QuestionnaireVersion
from questionnaires.selectors import _definitions, published_version, version_definition
from questionnaires.services import questionnaire_version_retire
from tests.questionnaires.factories import (
    QuestionnaireFactory,
    QuestionnaireVersionFactory,
    import_real_definitions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_memo():
    _definitions.clear()
    yield
    _definitions.clear()


def test_definition_holds_the_whole_version_as_plain_data():
    a08 = import_real_definitions()["interoperabilite"]
    definition = version_definition(a08.pk)
    assert definition["questionnaire"]["code"] == "interoperabilite"
    assert [level["code"] for level in definition["levels"]] == ["rouge", "orange", "jaune", "vert"]
    assert definition["level_ranks"] == {"rouge": 0, "orange": 1, "jaune": 2, "vert": 3}
    assert list(definition["profile_rules"]) == ["administration", "alimentation", "consultation"]
    assert definition["sections"][0]["items"][0]["code"] == "A08.3.1"
    assert definition["items"]["A08.3.1"]["na_allowed"] is False
    item = definition["items"]["A08.5.01"]
    assert item["na_allowed"] is True
    assert item["section"] == "A08.5-P"
    assert item["id"] == Item.objects.get(version=a08, code="A08.5.01").pk
    assert definition["items"]["A08.4.2"]["applicability"] == {"qualification": "messagerie_mssante"}
    assert "infra_partage" in {question["code"] for question in definition["qualification_questions"]}
    assert list(definition["items"]) == list(Item.objects.filter(version=a08).values_list("code", flat=True))


@pytest.mark.parametrize("count", [5, 300])
def test_query_count_does_not_depend_on_the_number_of_items(count, django_assert_num_queries):
    version = QuestionnaireVersionFactory(with_items=count, publish=True)
    with django_assert_num_queries(5):
        definition = version_definition(version.pk)
    assert len(definition["items"]) == count


def test_published_definition_is_memoised(django_assert_num_queries):
    version = QuestionnaireVersionFactory(with_items=3, publish=True)
    first = version_definition(version.pk)
    with django_assert_num_queries(0):
        assert version_definition(version.pk) is first


def test_draft_definition_is_read_afresh(django_assert_num_queries):
    version = QuestionnaireVersionFactory(with_items=3)
    version_definition(version.pk)
    Item.objects.filter(version=version, code="X.0").update(title="Corrigée")
    with django_assert_num_queries(5):
        assert version_definition(version.pk)["items"]["X.0"]["title"] == "Corrigée"


def test_published_version_picks_the_latest_published():
    questionnaire = QuestionnaireFactory(code="demo")
    QuestionnaireVersionFactory(questionnaire=questionnaire, number=1, publish=True)
    second = QuestionnaireVersionFactory(questionnaire=questionnaire, number=2, publish=True)
    QuestionnaireVersionFactory(questionnaire=questionnaire, number=3)  # a draft is never served
    assert published_version("demo") == second
    assert published_version("demo", 1).number == 1
    with pytest.raises(QuestionnaireVersion.DoesNotExist):
        published_version("demo", 3)


def test_retired_version_is_served_by_number_only():
    questionnaire = QuestionnaireFactory(code="demo")
    first = QuestionnaireVersionFactory(questionnaire=questionnaire, number=1, publish=True)
    questionnaire_version_retire(version=first)
    assert published_version("demo", 1) == first
    with pytest.raises(QuestionnaireVersion.DoesNotExist):
        published_version("demo")
