"""On the v2 referentials, through the services: the DMP profiles the doctrine gives feed-only,
read-only and full clients (and connectors, infrastructures), and the HDS, IEU 2, IEU 7/8 cases."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.selectors import applicable_items, missing_items
from tests.products.factories import ProductVersionFactory
from tests.questionnaires.factories import import_real_definitions

pytestmark = pytest.mark.django_db
A08_NO = {
    "infra_partage": False,
    "interagit_partage": False,
    "connecteur_tiers": False,
    "messagerie_mssante": False,
    "gestion_identite": False,
    "acces_patient": False,
    "secteur": "Ville",
}


@pytest.fixture
def v2():
    return import_real_definitions(2)


def started(version, qualification):
    assessment = services.assessment_start(
        product_version=ProductVersionFactory(), questionnaire_version=version, actor=None
    )
    return services.qualification_save(assessment=assessment, answers=qualification, actor=None)


def answer(assessment, code, level, justification="", **declaration):
    return services.answer_save(
        assessment=assessment,
        item_code=code,
        level=level,
        justification=justification,
        expected_revision=0,
        actor=None,
        **declaration,
    ).answer


# (case, qualification, levels of the profile items, profiles reached)
PRODUCTS = [
    (
        "feed-only client",
        {"interagit_partage": True},
        {"A08.3.1": "vert", "A08.4.1": "vert", "A08.5.01": "vert", "A08.5.23": "rouge"},
        ["alimentation"],
    ),
    (
        "read-only client",
        {"interagit_partage": True},
        {"A08.3.1": "vert", "A08.4.1": "vert", "A08.5.01": "rouge", "A08.5.23": "jaune"},
        ["consultation"],
    ),
    (
        "full DMP client",
        {"interagit_partage": True},
        {"A08.3.1": "vert", "A08.4.1": "vert", "A08.5.01": "vert", "A08.5.23": "vert"},
        ["alimentation", "consultation"],
    ),
    (
        "connector carrying other software's documents",
        {"interagit_partage": True, "connecteur_tiers": True},
        {"A08.3.1": "vert", "A08.4.1": "vert", "A08.5.01": "na", "A08.5.23": "rouge"},
        ["alimentation"],
    ),
    (
        "feed-only client with a partly conformant CDA header",
        {"interagit_partage": True},
        {"A08.3.1": "vert", "A08.4.1": "vert", "A08.5.01": "jaune", "A08.5.23": "rouge"},
        [],
    ),
    (
        "sharing infrastructure",
        {"infra_partage": True},
        {"A08.4.3": "vert"},
        ["administration"],
    ),
]


@pytest.mark.parametrize(
    ("case", "qualification", "levels", "reached"), PRODUCTS, ids=[p[0] for p in PRODUCTS]
)
def test_products_reach_exactly_the_doctrine_profiles_on_v2(v2, case, qualification, levels, reached):
    assessment = started(v2["interoperabilite"], A08_NO | qualification)
    for code, level in levels.items():
        answer(assessment, code, level, justification="Connecteur : documents produits ailleurs.")
    assessment.refresh_from_db()
    assert assessment.reached_profiles == reached


SEC_NO = {
    "acces_patient": False,
    "telesurveillance": False,
    "identite_externe": False,
    "ins_applicable": True,
    "heberge_tiers": False,
    "etablissement_auto_hebergement": False,
}


def test_hds_is_not_applicable_only_for_a_facility_hosting_its_own_data(v2):
    vendor = started(v2["securite"], SEC_NO)
    with pytest.raises(ValidationError) as error:
        answer(vendor, "SEC.5.1", "na", justification="Hébergé chez nous.")
    assert "« Non applicable » n'est possible pour l'exigence « SEC.5.1 » que si" in error.value.messages[0]
    facility = started(v2["securite"], SEC_NO | {"etablissement_auto_hebergement": True})
    saved = answer(
        facility, "SEC.5.1", "na", justification="Le CHU héberge lui-même les données de ses patients."
    )
    assert saved.level == "na"
    assert "SEC.5.1" not in {gap["code"] for gap in services.answer_gaps(facility)}


@pytest.mark.parametrize(("external", "applies"), [(False, True), (True, False)])
def test_ieu2_does_not_apply_when_identity_comes_from_another_system(v2, external, applies):
    assessment = started(v2["securite"], SEC_NO | {"acces_patient": True, "identite_externe": external})
    assert ("SEC.1.2" in {item["code"] for item in applicable_items(assessment)}) is applies


@pytest.mark.parametrize("code", ["SEC.1.5", "SEC.1.6"])
def test_ieu7_and_ieu8_stay_visible_and_require_a_sworn_declaration_without_ins(v2, code):
    with_ins = started(v2["securite"], SEC_NO)
    assert answer(with_ins, code, "vert").level == "vert"
    without = started(v2["securite"], SEC_NO | {"ins_applicable": False})
    assert code in {item["code"] for item in missing_items(without)}  # still visible, to fill
    with pytest.raises(ValidationError) as error:
        answer(without, code, "vert")
    assert error.value.messages == [services.DECLARATION_ONLY.format(code=code)]
    answer(without, code, "na", justification="Le dispositif ne traite aucune identité de patient.")
    gaps = {gap["code"]: gap["reason"] for gap in services.answer_gaps(without)}
    assert gaps[code] == services.DECLARATION_INCOMPLETE_REASON
    saved = services.answer_save(
        assessment=without,
        item_code=code,
        level="na",
        justification="Le dispositif ne traite aucune identité de patient.",
        declarant="Claire Durand",
        declared_on=datetime.date(2026, 3, 2),
        expected_revision=1,
        actor=None,
    ).answer
    assert (saved.declarant, saved.declared_on) == ("Claire Durand", datetime.date(2026, 3, 2))
    # The declarant's role completes the declaration.
    gaps = {gap["code"]: gap["reason"] for gap in services.answer_gaps(without)}
    assert gaps[code] == services.DECLARATION_INCOMPLETE_REASON
    saved = services.answer_save(
        assessment=without,
        item_code=code,
        level="na",
        justification="Le dispositif ne traite aucune identité de patient.",
        declarant="Claire Durand",
        declarant_role="Directrice technique",
        declared_on=datetime.date(2026, 3, 2),
        expected_revision=2,
        actor=None,
    ).answer
    assert saved.declarant_role == "Directrice technique"
    assert code not in {gap["code"] for gap in services.answer_gaps(without)}
