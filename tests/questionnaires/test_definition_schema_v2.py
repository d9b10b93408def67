"""Schema additions of the second generation of referentials: waves, conditional N/A, sworn
declarations, ``not`` in applicability and the carry-over mapping (no database)."""

import copy
import datetime

import yaml

from questionnaires.definition import definition_errors, parse_definition
from questionnaires.profiles import applicable, describe
from tests.questionnaires.test_definition import VALID


def item(data, index=0):
    return data["sections"][0]["items"][index]


def errors_after(change) -> list[str]:
    data = copy.deepcopy(VALID)
    change(data)
    return definition_errors(data)


def test_a_wave_with_its_date_and_note_is_valid():
    def change(data):
        item(data)["wave"] = {
            "number": 2,
            "effective": datetime.date(2026, 1, 1),
            "note": "Exigée en vague 2.",
        }

    assert errors_after(change) == []


def test_a_wave_needs_a_positive_number_and_a_real_date():
    def change(data):
        item(data)["wave"] = {"number": 0, "effective": "2026-13-01", "couleur": "x"}

    assert errors_after(change) == ["sections[0].items[0] (S1.1).wave : clé(s) inconnue(s) « couleur »."]

    def change(data):
        item(data)["wave"] = {"number": 0, "effective": "bientôt"}

    assert errors_after(change) == [
        "sections[0].items[0] (S1.1).wave.number : un numéro de vague entier supérieur ou égal à 1 est attendu.",
        "sections[0].items[0] (S1.1).wave.effective : une date AAAA-MM-JJ est attendue.",
    ]


def test_na_allowed_may_be_a_condition_on_the_qualification():
    assert errors_after(lambda data: item(data).update(na_allowed={"qualification": "partage"})) == []
    errors = errors_after(lambda data: item(data).update(na_allowed={"qualification": "inconnue"}))
    assert errors == [
        "sections[0].items[0] (S1.1).na_allowed : la question de qualification « inconnue » n'existe pas "
        "(ou n'est pas oui/non)."
    ]


def test_declaration_condition_is_checked_like_an_applicability():
    assert (
        errors_after(lambda data: item(data).update(declaration_if={"not": {"qualification": "partage"}}))
        == []
    )
    errors = errors_after(lambda data: item(data).update(declaration_if={"item": "S1.1", "at_least": "vert"}))
    assert errors == [
        "sections[0].items[0] (S1.1).declaration_if : condition inconnue ['at_least', 'item'] ; attendu l'une "
        "des clés all, any, not, qualification."
    ]


def test_not_in_an_applicability_is_validated_below_it():
    errors = errors_after(lambda data: item(data, 1).update(applies_if={"not": {"qualification": "secteur"}}))
    assert errors == [
        "sections[0].items[1] (S1.2).applies_if.not : la question de qualification « secteur » n'existe pas "
        "(ou n'est pas oui/non)."
    ]


def test_not_inverts_the_condition_and_an_unanswered_question_keeps_the_item():
    condition = {"all": [{"qualification": "acces"}, {"not": {"qualification": "identite_externe"}}]}
    assert applicable(condition, {"acces": True, "identite_externe": False})
    assert applicable(condition, {"acces": True})
    assert not applicable(condition, {"acces": True, "identite_externe": True})
    labels = {"identite_externe": "L'identité vient-elle d'ailleurs ?", "acces": "Accès patient ?"}
    assert describe(condition, qualification_labels=labels) == (
        "(réponse « oui » à « Accès patient ? » ET réponse « non » à « L'identité vient-elle d'ailleurs ? »)"
    )


def v2(carry_items=None):
    data = copy.deepcopy(VALID)
    data["version"] = 2
    data["carry_over"] = {
        "from": 1,
        "items": carry_items
        if carry_items is not None
        else {"S1.1": {"from": "S1.1"}, "S1.2": {"from": "S1.2", "meaning": "changed"}},
    }
    return data


def test_a_complete_carry_over_mapping_is_valid():
    assert definition_errors(v2()) == []
    assert definition_errors(v2({"S1.1": "new", "S1.2": {"from": "S1.1"}})) == []


def test_every_item_must_be_described_in_the_mapping_and_only_them():
    errors = definition_errors(v2({"S1.1": {"from": "S1.1"}, "S9": "new"}))
    assert errors == [
        "carry_over.items.S9 : cette exigence n'existe pas dans ce fichier.",
        "carry_over.items : l'exigence « S1.2 » n'est pas décrite (reprise d'une exigence, ou « new »).",
    ]


def test_mapping_values_and_source_version_are_checked():
    errors = definition_errors(v2({"S1.1": "nouveau", "S1.2": {"from": "S1.2", "meaning": "autre"}}))
    assert errors == [
        "carry_over.items.S1.1 : « new » ou {from: <code>, meaning: same | changed} est attendu.",
        "carry_over.items.S1.2.meaning : « autre » inconnu ; attendu same ou changed.",
    ]
    data = v2()
    data["carry_over"]["from"] = 2
    assert definition_errors(data) == [
        "carry_over.from : le numéro d'une version antérieure (de 1 à 1) est attendu."
    ]


def write(folder, data, name):
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_carried_items_must_exist_in_the_previous_file(tmp_path):
    folder = tmp_path / "demo"
    folder.mkdir()
    raw = write(folder, v2({"S1.1": {"from": "S1.9"}, "S1.2": "new"}), "v2.yaml").read_bytes()
    assert parse_definition(raw, path=folder / "v2.yaml").errors == [
        "carry_over.from : le fichier v1.yaml de la version 1 est introuvable."
    ]
    write(folder, VALID, "v1.yaml")
    assert parse_definition(raw, path=folder / "v2.yaml").errors == [
        "carry_over.items.S1.1.from : l'exigence « S1.9 » n'existe pas dans la version 1."
    ]


def test_import_stores_the_additions(db, tmp_path):
    from questionnaires.services import questionnaire_import

    folder = tmp_path / "demo"
    folder.mkdir()
    write(folder, VALID, "v1.yaml")
    data = v2()
    item(data)["wave"] = {"number": 2, "effective": datetime.date(2026, 1, 1), "note": "Exigée en vague 2."}
    item(data)["na_allowed"] = {"qualification": "partage"}
    item(data)["declaration_if"] = {"not": {"qualification": "partage"}}
    version = questionnaire_import(path=write(folder, data, "v2.yaml"), publish=True).version
    stored = version.items.get(code="S1.1")
    assert stored.wave == {"number": 2, "effective": "2026-01-01", "note": "Exigée en vague 2."}
    assert (stored.na_allowed, stored.na_condition) == (True, {"qualification": "partage"})
    assert stored.declaration_condition == {"not": {"qualification": "partage"}}
    assert version.items.get(code="S1.2").na_condition is None
    assert version.carry_over == data["carry_over"]
