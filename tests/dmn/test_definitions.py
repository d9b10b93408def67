"""The DMN referential and the five line questionnaires: valid, importable, and saying what the
procedure says (IEU 2, IEU 7/8, IEU 9.1, HDS, the diabetes alert)."""

import pytest
from django.urls import reverse

from assessments.selectors import structure
from assessments.services import answer_errors, declaration_expected, na_possible
from companies.models import Role
from questionnaires.definition import parse_definition
from questionnaires.models import Questionnaire, QuestionnaireVersion
from questionnaires.services import definition_files, questionnaire_import
from tests.assessments.factories import AssessmentFactory
from tests.products.factories import ProductVersionFactory
from tests.questionnaires.factories import DEFINITIONS_DIR

LINE_CODES = ["dmn_diabete", "dmn_renal", "dmn_respiratoire", "dmn_cardiaque", "dmn_protheses"]
DMN_CODES = ["dmn_referentiel", *LINE_CODES]
QUALIFIED = {"identite_externe": False, "ins_applicable": True, "etablissement_auto_hebergement": False}


@pytest.fixture
def dmn_versions(db):
    versions = {}
    for code in DMN_CODES:
        result = questionnaire_import(path=DEFINITIONS_DIR / code / "v1.yaml", publish=True)
        versions[code] = result.version
    return versions


def items(version: QuestionnaireVersion) -> dict:
    return structure(version.pk).items_by_code


@pytest.mark.parametrize("code", DMN_CODES)
def test_each_dmn_file_is_valid_and_of_the_dmn_theme(code):
    parsed = parse_definition((DEFINITIONS_DIR / code / "v1.yaml").read_bytes())
    assert parsed.errors == []
    assert parsed.data["questionnaire"]["theme"] == Questionnaire.Theme.DMN


def test_the_import_command_publishes_every_dmn_questionnaire(db):
    for path in definition_files([DEFINITIONS_DIR]):
        questionnaire_import(path=path, publish=True)
    published = set(
        QuestionnaireVersion.objects.filter(
            questionnaire__theme=Questionnaire.Theme.DMN, status=QuestionnaireVersion.Status.PUBLISHED
        ).values_list("questionnaire__code", flat=True)
    )
    assert published == set(DMN_CODES)


def test_ieu2_is_na_only_when_identity_comes_from_another_system(dmn_versions):
    ieu2 = items(dmn_versions["dmn_referentiel"])["IEU.2"]
    assert na_possible(ieu2, {"identite_externe": True})
    assert not na_possible(ieu2, {"identite_externe": False})
    assessment = AssessmentFactory(
        questionnaire_version=dmn_versions["dmn_referentiel"],
        qualification=QUALIFIED,
        candidature=True,
    )
    errors = answer_errors(assessment=assessment, item=ieu2, level="na", justification="x", comment="")
    assert errors and "IEU.2" in errors[0]


def test_ieu7_and_ieu8_take_a_sworn_declaration_when_the_ins_does_not_apply(dmn_versions):
    referential = items(dmn_versions["dmn_referentiel"])
    for code in ("IEU.7", "IEU.8"):
        assert declaration_expected(referential[code], {"ins_applicable": False})
        assert not declaration_expected(referential[code], {"ins_applicable": True})


def test_ieu91_two_factor_access_refuses_na_and_expects_its_proofs(dmn_versions):
    version = dmn_versions["dmn_referentiel"]
    ieu91 = items(version)["IEU.9.1"]
    assert not na_possible(ieu91, {})
    assert "exemptions" in ieu91["help_text"]
    proofs = version.items.get(code="IEU.9.1").expected_proofs.order_by("order")
    assert [(proof.code, proof.min_count) for proof in proofs] == [
        ("video_double_facteur", 1),
        ("exemptions", 0),
    ]


def test_hds_is_na_with_justification_for_a_facility_hosting_its_own_data(dmn_versions):
    hds = items(dmn_versions["dmn_referentiel"])["HEB.1"]
    assert na_possible(hds, {"etablissement_auto_hebergement": True})
    assert not na_possible(hds, {"etablissement_auto_hebergement": False})


def test_diabetes_alert_follows_a_configurable_frequency_and_asks_for_a_test_report(dmn_versions):
    version = dmn_versions["dmn_diabete"]
    alert = items(version)["DIA.3"]
    assert "fréquence" in alert["title"] and "professionnel" in alert["help_text"]
    assert list(version.items.get(code="DIA.3").expected_proofs.values_list("code", flat=True)) == [
        "rapport_alertes"
    ]


@pytest.mark.parametrize("code", LINE_CODES)
def test_every_line_asks_for_an_alert_test_report(dmn_versions, code):
    assert dmn_versions[code].items.filter(expected_proofs__code="rapport_alertes").exists()


def test_dmn_questionnaires_are_not_offered_as_self_assessments(dmn_versions, vendor_client_factory):
    product_version = ProductVersionFactory()
    client = vendor_client_factory(role=Role.REPRESENTANT, company=product_version.product.company)
    response = client.get(reverse("portal:assessments:start", args=[product_version.public_id]))
    assert response.status_code == 200
    assert "Spécifications techniques" not in response.content.decode()
    assert "Référentiel d&#x27;interopérabilité et de sécurité des DMN" not in response.content.decode()


def test_dmn_questions_join_a_version_qualification_only_through_a_candidature(dmn_versions):
    from assessments.services import version_questions
    from tests.assessments.factories import questionnaire_version

    product_version = ProductVersionFactory()
    AssessmentFactory(product_version=product_version, questionnaire_version=questionnaire_version(items=3))
    codes = {question["code"] for question in version_questions(product_version=product_version)}
    assert "ins_applicable" not in codes
    AssessmentFactory(
        product_version=product_version,
        questionnaire_version=dmn_versions["dmn_referentiel"],
        candidature=True,
    )
    codes = {question["code"] for question in version_questions(product_version=product_version)}
    assert {"identite_externe", "ins_applicable", "etablissement_auto_hebergement"} <= codes
