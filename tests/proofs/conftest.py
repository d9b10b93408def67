"""Fixtures of the proofs tests."""

import pytest

from questionnaires.models import Item
from questionnaires.services import questionnaire_version_publish
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill, questionnaire_version
from tests.products.factories import ProductVersionFactory
from tests.proofs.factories import assessment_with_proofs, expect_proofs


@pytest.fixture
def declaration_setup():
    """An assessment (answered, proofs expected) whose item A08.5.01 is answered by a sworn declaration
    under its qualification; returns (assessment, expected, mandataire)."""
    version = questionnaire_version(publish=False)
    Item.objects.filter(version=version, code="A08.5.01").update(
        declaration_condition={"not": {"qualification": "infra_partage"}}
    )
    questionnaire_version_publish(version=version)
    expected = expect_proofs(version)
    assessment, _, actor = assessment_with_proofs(answered=False)
    assessment = AssessmentFactory(
        product_version=ProductVersionFactory(product=assessment.product_version.product),
        questionnaire_version=version,
        qualification=QUALIFIED,
    )
    fill(assessment)
    return assessment, expected, actor
