"""Qualification answered once per product version and shared by its questionnaires (issue 14)."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Assessment, Qualification, State
from tests.assessments.factories import QUESTIONS, AssessmentFactory, questionnaire_version
from tests.products.factories import ProductVersionFactory

pytestmark = pytest.mark.django_db
ANSWERS = {code: False for code, _ in QUESTIONS}


def two_assessments():
    """One product version answering two questionnaires that ask the same questions."""
    version = ProductVersionFactory()
    first = AssessmentFactory(product_version=version)
    second = AssessmentFactory(product_version=version, questionnaire_version=questionnaire_version())
    return version, first, second


def test_answering_through_one_assessment_answers_the_others_of_the_version():
    version, first, second = two_assessments()
    services.qualification_save(assessment=first, answers=ANSWERS | {"infra_partage": True}, actor=None)
    second.refresh_from_db()
    assert second.qualification == ANSWERS | {"infra_partage": True}
    assert Qualification.objects.get(product_version=version).answers == ANSWERS | {"infra_partage": True}
    # Its profiles follow the shared answer: the qualification condition of Administration is met.
    assert second.profiles["administration"]["met"] == 1


def test_a_new_assessment_of_the_version_starts_qualified():
    version, first, _ = two_assessments()
    services.qualification_save(assessment=first, answers=ANSWERS, actor=None)
    third = services.assessment_start(
        product_version=version, questionnaire_version=questionnaire_version(), actor=None
    )
    assert third.qualification == ANSWERS


def test_version_questions_are_asked_once():
    version, _, _ = two_assessments()
    codes = [question["code"] for question in services.version_questions(product_version=version)]
    assert sorted(codes) == sorted(code for code, _ in QUESTIONS)


def test_qualification_cannot_change_while_an_assessment_of_the_version_is_at_the_agency():
    version = ProductVersionFactory()
    AssessmentFactory(product_version=version, submitted=True)
    other = AssessmentFactory(product_version=version, questionnaire_version=questionnaire_version())
    with pytest.raises(ValidationError) as error:
        services.version_qualification_save(product_version=version, answers=ANSWERS, actor=None)
    assert error.value.messages == [services.QUALIFICATION_UNDER_REVIEW]
    with pytest.raises(ValidationError):
        services.qualification_save(assessment=other, answers=ANSWERS, actor=None)


def test_missing_sentences_name_the_question_by_its_text():
    assessment = AssessmentFactory()
    services.qualification_save(assessment=assessment, answers=ANSWERS, actor=None)
    assessment.refresh_from_db()
    missing = " ".join(assessment.profiles["administration"]["missing"])
    assert "Le produit est-il une infrastructure de partage de documents de santé ?" in missing
    assert "infra_partage" not in missing


def test_migration_gathers_each_version_answers_open_assessments_winning():
    version = ProductVersionFactory()
    closed = AssessmentFactory(product_version=version, qualification=ANSWERS | {"infra_partage": True})
    Assessment.objects.filter(pk=closed.pk).update(state=State.VALIDATED)
    draft = AssessmentFactory(
        product_version=version,
        questionnaire_version=questionnaire_version(),
        qualification=ANSWERS | {"interagit_partage": True},
    )
    Qualification.objects.all().delete()
    migration = importlib.import_module("assessments.migrations.0007_share_qualification")
    migration.forward(apps, None)
    # The draft's answers were saved last (and it is open): they win where the two disagree.
    assert Qualification.objects.get(product_version=version).answers == ANSWERS | {"interagit_partage": True}
    closed.refresh_from_db()
    assert closed.qualification == ANSWERS | {"infra_partage": True}  # decided with these: untouched
    draft.refresh_from_db()
    assert draft.qualification == ANSWERS | {"interagit_partage": True}
