"""The v2 referentials declare their proofs in their own items: an assessment on v2 asks for them."""

import datetime

import pytest

from assessments import services as assessment_services
from assessments.selectors import applicable_items, assessment_structure
from proofs import selectors, services
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductVersionFactory
from tests.questionnaires.factories import import_real_definitions

pytestmark = pytest.mark.django_db


def answered(version, qualification, level="vert"):
    """An assessment of ``version`` with every applicable item at ``level`` (N/A with its sworn
    declaration where the qualification asks for one)."""
    assessment = assessment_services.assessment_start(
        product_version=ProductVersionFactory(), questionnaire_version=version, actor=None
    )
    questions = assessment_structure(assessment).questions
    answers = {question["code"]: False for question in questions} | qualification
    assessment = assessment_services.qualification_save(assessment=assessment, answers=answers, actor=None)
    for item in applicable_items(assessment):
        declaration = assessment_services.declaration_expected(item, assessment.qualification)
        assessment_services.answer_save(
            assessment=assessment,
            item_code=item["code"],
            level="na" if declaration else level,
            justification="L'INS ne s'applique pas à ce produit." if declaration else "",
            expected_revision=0,
            actor=None,
            **(
                {"declarant": "Claire Martin", "declared_on": datetime.date(2025, 3, 14)}
                if declaration
                else {}
            ),
        )
    return assessment


def test_a_v2_assessment_cannot_be_submitted_without_the_proofs_of_its_items():
    v2 = import_real_definitions(2)
    assessment = answered(v2["urbanisation"], {"referentiel_identite": True, "client_lourd": True})
    reasons = {entry["code"]: entry["reason"] for entry in selectors.missing_proofs(assessment)}
    assert reasons["URB.3.1"] == "preuve manquante : « Vidéo de connexion par Pro Santé Connect »"
    assert reasons["URB.3.2"] == "preuve manquante : « Vidéo de la connexion par un navigateur externe »"
    assert {"URB.1.1", "URB.1.3", "URB.2.1", "URB.2.2", "URB.4.1", "URB.4.2", "URB.5.1"} <= set(reasons)
    with pytest.raises(assessment_services.AssessmentIncomplete) as refused:
        mandataire = MembershipFactory(
            company=assessment.product_version.product.company, mandataire=True
        ).user
        services.assessment_submit(assessment=assessment, actor=mandataire)
    assert {entry["code"] for entry in refused.value.missing} == set(reasons)


def test_a_v2_item_answered_by_a_sworn_declaration_asks_for_no_proof():
    v2 = import_real_definitions(2)
    with_ins = answered(v2["securite"], {"ins_applicable": True})
    without_ins = answered(v2["securite"], {"ins_applicable": False})
    assert {"SEC.1.5", "SEC.1.6"} <= {entry["code"] for entry in selectors.missing_proofs(with_ins)}
    assert not {"SEC.1.5", "SEC.1.6"} & {entry["code"] for entry in selectors.missing_proofs(without_ins)}
