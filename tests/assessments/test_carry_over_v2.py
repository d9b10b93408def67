"""Starting the v2 assessment of a product version from its v1 answers (issue 14)."""

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Answer, Assessment, State
from tests.products.factories import ProductVersionFactory
from tests.questionnaires.factories import import_real_definitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    v1 = import_real_definitions(1)["interoperabilite"]
    v2 = import_real_definitions(2)["interoperabilite"]
    return v1, v2


def level_of(assessment, code) -> Answer:
    return Answer.objects.get(assessment=assessment, item__code=code)


def v1_answered(v1):
    """A v1 assessment answered on a continued, a changed-meaning and a removed item."""
    product_version = ProductVersionFactory()
    source = services.assessment_start(product_version=product_version, questionnaire_version=v1, actor=None)
    for code, level in (("A08.3.2", "jaune"), ("A08.3.1", "vert"), ("A08.5.21", "vert")):
        services.answer_save(
            assessment=source,
            item_code=code,
            level=level,
            comment=f"v1 {code}",
            expected_revision=0,
            actor=None,
        )
    return product_version, source


def test_continued_items_are_copied_changed_ones_flagged_new_ones_empty(versions):
    v1, v2 = versions
    product_version, source = v1_answered(v1)
    target = services.assessment_start(
        product_version=product_version, questionnaire_version=v2, actor=None, carry_from=source
    )
    continued = level_of(target, "A08.3.2")
    assert (continued.level, continued.comment, continued.to_review) == ("jaune", "v1 A08.3.2", False)
    changed = level_of(target, "A08.3.1")
    assert (changed.level, changed.to_review) == ("vert", True)
    assert level_of(target, "A08.3.5").level == ""  # not answered in v1
    summary = services.carry_over_summary(assessment=target)
    assert summary.carried == ["A08.3.2"]
    assert summary.to_review == ["A08.3.1"]
    assert "A08.3.5" in summary.new
    assert summary.dropped == ["A08.5.21", "A08.5.22", "A08.5.43", "A08.5.44"]
    assert summary.source_questionnaire == "Interopérabilité (A08), version 1"


def test_an_answer_to_review_blocks_submission_until_confirmed(versions):
    v1, v2 = versions
    product_version, source = v1_answered(v1)
    target = services.assessment_start(
        product_version=product_version, questionnaire_version=v2, actor=None, carry_from=source
    )
    gaps = {gap["code"]: gap["reason"] for gap in services.answer_gaps(target)}
    assert gaps["A08.3.1"] == services.TO_REVIEW_REASON
    answer = level_of(target, "A08.3.1")
    # Saving the same values confirms the answer.
    services.answer_save(
        assessment=target,
        item_code="A08.3.1",
        level="vert",
        comment=answer.comment,
        expected_revision=answer.revision,
        actor=None,
    )
    assert not level_of(target, "A08.3.1").to_review
    assert "A08.3.1" not in {gap["code"] for gap in services.answer_gaps(target)}


def test_the_validated_v1_assessment_stays_on_v1(versions):
    v1, v2 = versions
    product_version, source = v1_answered(v1)
    Assessment.objects.filter(pk=source.pk).update(state=State.VALIDATED)
    source.refresh_from_db()
    before = list(Answer.objects.filter(assessment=source).values_list("item_id", "level", "revision"))
    services.assessment_start(
        product_version=product_version, questionnaire_version=v2, actor=None, carry_from=source
    )
    source.refresh_from_db()
    assert source.questionnaire_version == v1 and source.state == State.VALIDATED
    assert (
        list(Answer.objects.filter(assessment=source).values_list("item_id", "level", "revision")) == before
    )


def test_carrying_from_another_product_is_still_refused(versions):
    v1, v2 = versions
    _, source = v1_answered(v1)
    with pytest.raises(ValidationError):
        services.assessment_start(
            product_version=ProductVersionFactory(), questionnaire_version=v2, actor=None, carry_from=source
        )
