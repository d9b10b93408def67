"""The second version of the three referentials: content rules of issue 14, v1 left untouched."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from questionnaires.definition import parse_definition
from questionnaires.models import QuestionnaireVersion
from questionnaires.services import DEFINITIONS_DIR

CODES = ("interoperabilite", "securite", "urbanisation")
# Published versions never change: v1 files stay byte-identical (a fix is a new file).
V1_SHA256 = {
    "interoperabilite": "fe332f52809330d55088ee78bcdf680ad4947ad32efe05a4fc1ce5b84a87c021",
    "securite": "75f2649497cfe01ade1093833c73b850e8c3081da100e63404c89def8021b52e",
    "urbanisation": "7dc74c79e4f1ef55510c296b579ba3a9d19a098037d47ab1438d4a0c058db575",
}
OFFERED = "que les clients"


def v2(code: str) -> dict:
    path = DEFINITIONS_DIR / code / "v2.yaml"
    parsed = parse_definition(path.read_bytes(), path=path)
    assert parsed.errors == []
    return parsed.data


def items(data: dict) -> dict[str, dict]:
    return {item["code"]: item for section in data["sections"] for item in section["items"]}


@pytest.mark.parametrize("code", CODES)
def test_v1_files_are_byte_identical(code):
    raw = (DEFINITIONS_DIR / code / "v1.yaml").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == V1_SHA256[code]


@pytest.mark.parametrize("code", CODES)
def test_every_v2_item_describes_its_four_levels_and_what_is_measured(code):
    for item in items(v2(code)).values():
        assert {"rouge", "orange", "jaune", "vert"} <= set(item["levels"]), item["code"]
        assert all(len(item["levels"][level]) > 20 for level in ("rouge", "orange", "jaune", "vert"))
        assert OFFERED in item["help"], item["code"]


@pytest.mark.parametrize("code", CODES)
def test_every_v2_item_says_where_it_comes_from(code):
    data = v2(code)
    assert data["carry_over"]["from"] == 1
    assert set(data["carry_over"]["items"]) == set(items(data))


def test_a08_v2_lets_partial_products_reach_green_and_names_things_like_the_doctrine():
    a08 = items(v2("interoperabilite"))
    assert "ne fait qu'alimenter, ou que consulter" in a08["A08.3.1"]["levels"]["vert"]
    assert "Toutes les connexions" not in a08["A08.3.1"]["levels"]["vert"]
    assert "alimentation, ou recherche et consultation, ou les deux" in a08["A08.4.1"]["levels"]["vert"]
    assert "dossiers partagés de patients" in a08["A08.4.3"]["title"]
    assert a08["A08.5.01"]["title"] == "Production de documents CDA — structuration minimale"
    assert a08["A08.5.23"]["title"] == "Consommation de documents CDA — structuration minimale"
    assert "2.3.1 au minimum" in a08["A08.3.5"]["help"] and "2.5.1 recommandée" in a08["A08.3.5"]["help"]
    assert "HL7 v2.5 " not in str(a08)
    # Items that repeated another one's reference are gone.
    assert not {"A08.5.21", "A08.5.43", "A08.5.22", "A08.5.44"} & set(a08)
    carried = v2("interoperabilite")["carry_over"]["items"]
    assert (
        carried["A08.3.1"]
        == carried["A08.4.1"] | {"from": "A08.3.1"}
        == {
            "from": "A08.3.1",
            "meaning": "changed",
        }
    )


def test_dmp_profile_rules_keep_their_meaning():
    v1_path = DEFINITIONS_DIR / "interoperabilite" / "v1.yaml"
    assert v2("interoperabilite")["profiles"] == parse_definition(v1_path.read_bytes()).data["profiles"]


def test_security_v2_encodes_hds_ieu2_ieu78_and_ieu91():
    sec = items(v2("securite"))
    assert sec["SEC.5.1"]["na_allowed"] == {"qualification": "etablissement_auto_hebergement"}
    assert {"not": {"qualification": "identite_externe"}} in sec["SEC.1.2"]["applies_if"]["all"]
    for code in ("SEC.1.5", "SEC.1.6"):
        assert "applies_if" not in sec[code]
        assert sec[code]["declaration_if"] == {"not": {"qualification": "ins_applicable"}}
    assert "DMN" in sec["SEC.1.3"]["reference"] and "simple déclaration" in sec["SEC.1.3"]["help"]


def test_urbanisation_v2_allows_insi_calls_and_makes_ciba_a_wave_one_derogation():
    urb = items(v2("urbanisation"))
    assert "applies_if" not in urb["URB.1.1"]
    assert "recommandée" in urb["URB.1.1"]["help"]
    assert urb["URB.3.2"]["wave"]["number"] == 2
    assert (
        "CIBA" in urb["URB.3.2"]["levels"]["jaune"]
        and "navigateur externe" in urb["URB.3.2"]["levels"]["vert"]
    )


def test_import_questionnaire_publishes_v2_beside_v1(db):
    out = StringIO()
    call_command("import_questionnaire", str(DEFINITIONS_DIR), "--publish", stdout=out)
    for code in CODES:
        assert f"{code} v2 créée et publiée" in out.getvalue()
        numbers = QuestionnaireVersion.objects.filter(questionnaire__code=code, status="published")
        assert sorted(numbers.values_list("number", flat=True)) == [1, 2]
    call_command("import_definitions", stdout=StringIO())
    assert QuestionnaireVersion.objects.count() == 12  # and the six DMN questionnaires, v1
