"""Validation of definition files: one test per kind of error, message asserted (no database)."""

import copy
import hashlib
from pathlib import Path

import pytest
import yaml

from questionnaires.definition import definition_errors, parse_definition

VALID = {
    "questionnaire": {"code": "demo", "title": "Démo", "theme": "interoperabilite"},
    "version": 1,
    "levels": [
        {"code": "rouge", "label": "Non implémenté", "colour": "#CE0500"},
        {"code": "vert", "label": "Conforme", "colour": "#18753C"},
    ],
    "qualification": [
        {"code": "partage", "text": "Partage ?"},
        {"code": "secteur", "text": "Secteur ?", "kind": "choice", "choices": ["Ville", "Hôpital"]},
    ],
    "sections": [
        {
            "code": "S1",
            "title": "Section",
            "items": [
                {"code": "S1.1", "title": "Première", "levels": {"vert": "Conforme au volet."}},
                {
                    "code": "S1.2",
                    "title": "Seconde",
                    "na_allowed": False,
                    "applies_if": {"qualification": "partage"},
                },
            ],
        }
    ],
    "profiles": {
        "profil": {
            "label": "Profil",
            "rule": {"all": [{"qualification": "partage"}, {"item": "S1.1", "at_least": "vert"}]},
        }
    },
}


def errors_after(change) -> list[str]:
    data = copy.deepcopy(VALID)
    change(data)
    return definition_errors(data)


def test_the_reference_document_is_valid():
    assert definition_errors(copy.deepcopy(VALID)) == []


def test_unknown_key_is_reported_with_its_location():
    errors = errors_after(lambda data: data["sections"][0]["items"][1].update(colour="bleu"))
    assert errors == ["sections[0].items[1] : clé(s) inconnue(s) « colour »."]


def test_missing_key_is_reported():
    errors = errors_after(lambda data: data["levels"][0].pop("label"))
    assert errors == ["levels[0] : la clé « label » est obligatoire."]


def test_wrong_type_is_reported():
    errors = errors_after(lambda data: data["sections"][0].update(items={"code": "S1.1"}))
    assert "sections[0].items : une liste non vide est attendue." in errors


def test_duplicate_item_code_is_reported():
    errors = errors_after(lambda data: data["sections"][0]["items"][1].update(code="S1.1"))
    assert errors == ["sections[0].items[1].code : le code « S1.1 » est déjà utilisé dans ce fichier."]


def test_duplicate_code_across_sections_is_reported():
    def change(data):
        data["sections"].append(
            {"code": "S1", "title": "Encore", "items": [{"code": "S1.2", "title": "Doublon"}]}
        )

    assert errors_after(change) == [
        "sections[1].code : le code « S1 » est déjà utilisé dans ce fichier.",
        "sections[1].items[0].code : le code « S1.2 » est déjà utilisé dans ce fichier.",
    ]


def test_duplicate_level_code_is_reported():
    errors = errors_after(lambda data: data["levels"][1].update(code="rouge"))
    assert "levels[1].code : le code « rouge » est déjà utilisé dans ce fichier." in errors


def test_unknown_level_in_a_rule_is_reported():
    errors = errors_after(lambda data: data["profiles"]["profil"]["rule"]["all"][1].update(at_least="violet"))
    assert errors == ["profiles.profil.rule.all[1] : le niveau « violet » n'existe pas dans l'échelle."]


def test_rule_naming_an_unknown_item_is_reported():
    errors = errors_after(lambda data: data["profiles"]["profil"]["rule"]["all"][1].update(item="S9.9"))
    assert errors == ["profiles.profil.rule.all[1] : l'exigence « S9.9 » n'existe pas."]


def test_rule_naming_an_unknown_qualification_is_reported():
    errors = errors_after(
        lambda data: data["profiles"]["profil"]["rule"]["all"][0].update(qualification="inconnue")
    )
    assert errors == [
        "profiles.profil.rule.all[0] : la question de qualification « inconnue » n'existe pas (ou n'est pas oui/non)."
    ]


def test_rule_naming_a_choice_question_is_reported():
    errors = errors_after(
        lambda data: data["profiles"]["profil"]["rule"]["all"][0].update(qualification="secteur")
    )
    assert errors == [
        "profiles.profil.rule.all[0] : la question de qualification « secteur » n'existe pas (ou n'est pas oui/non)."
    ]


def test_unknown_rule_node_is_reported():
    errors = errors_after(
        lambda data: data["profiles"]["profil"].update(rule={"not": {"qualification": "partage"}})
    )
    assert errors == [
        "profiles.profil.rule : condition inconnue ['not'] ; attendu l'une des clés all, any, item, qualification."
    ]


def test_empty_alternative_is_reported():
    errors = errors_after(lambda data: data["profiles"]["profil"].update(rule={"any": []}))
    assert errors == ["profiles.profil.rule.any : une liste non vide de conditions est attendue."]


def test_na_description_on_an_item_that_forbids_na_is_reported():
    errors = errors_after(lambda data: data["sections"][0]["items"][1].update(levels={"na": "Sans objet."}))
    assert errors == [
        "sections[0].items[1] (S1.2).levels.na : une description « na » est donnée alors que cette exigence "
        "interdit « non applicable »."
    ]


def test_unknown_level_in_a_description_is_reported():
    errors = errors_after(lambda data: data["sections"][0]["items"][0].update(levels={"bleu": "?"}))
    assert errors == ["sections[0].items[0] (S1.1).levels.bleu : niveau « bleu » inconnu dans l'échelle."]


def test_item_condition_in_applicability_is_reported():
    errors = errors_after(
        lambda data: data["sections"][0]["items"][1].update(applies_if={"item": "S1.1", "at_least": "vert"})
    )
    assert errors == [
        "sections[0].items[1] (S1.2).applies_if : condition inconnue ['at_least', 'item'] ; attendu l'une des "
        "clés all, any, not, qualification."
    ]


def test_na_level_code_is_reserved():
    errors = errors_after(lambda data: data["levels"][0].update(code="na"))
    assert "levels[0].code : le code « na » est réservé à « non applicable »." in errors


def test_invalid_colour_is_reported():
    errors = errors_after(lambda data: data["levels"][0].update(colour="rouge"))
    assert errors == ["levels[0].colour : couleur « rouge » invalide ; attendu #RRVVBB."]


def test_unknown_theme_is_reported():
    errors = errors_after(lambda data: data["questionnaire"].update(theme="ethique"))
    assert errors == [
        "questionnaire.theme : thème « ethique » inconnu ; attendu l'un de "
        "('interoperabilite', 'securite', 'urbanisation', 'dmn')."
    ]


def test_invalid_version_number_is_reported():
    errors = errors_after(lambda data: data.update(version="1"))
    assert errors == ["version : un numéro de version entier supérieur ou égal à 1 est attendu."]


def test_choice_question_needs_choices():
    errors = errors_after(lambda data: data["qualification"][1].pop("choices"))
    assert errors == [
        "qualification[1].choices : une question à choix unique doit lister au moins deux choix."
    ]


def test_na_allowed_must_be_a_boolean():
    errors = errors_after(lambda data: data["sections"][0]["items"][0].update(na_allowed="non"))
    assert errors == [
        "sections[0].items[0] (S1.1).na_allowed : true, false ou une condition sur la qualification est attendu."
    ]


def test_every_error_is_reported_at_once():
    def change(data):
        data["levels"][0]["colour"] = "x"
        data["sections"][0]["items"][0]["title"] = ""
        data["profiles"]["profil"]["rule"]["all"][1]["item"] = "S9"

    assert len(errors_after(change)) == 3


def test_repeated_yaml_key_is_reported_with_its_line():
    raw = yaml.safe_dump(VALID, allow_unicode=True, sort_keys=False).replace(
        "version: 1\n", "version: 1\nversion: 2\n"
    )
    parsed = parse_definition(raw.encode())
    assert parsed.data is None
    assert any(
        error.endswith("la clé « version » est répétée.") and error.startswith("ligne ")
        for error in parsed.errors
    )


def test_unreadable_yaml_is_reported():
    parsed = parse_definition(b"questionnaire: [unclosed\n")
    assert parsed.data is None
    assert parsed.errors[0].startswith("Fichier YAML illisible : ")


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("definitions/demo/v2.yaml", "version : le fichier v2.yaml doit contenir la version 2, pas 1."),
        (
            "definitions/autre/v1.yaml",
            "questionnaire.code : le fichier est rangé sous « autre » mais déclare « demo ».",
        ),
    ],
)
def test_file_location_must_match_its_content(path, error):
    raw = yaml.safe_dump(VALID, allow_unicode=True).encode()
    assert parse_definition(raw, path=Path(path)).errors == [error]


def test_checksum_is_the_sha256_of_the_bytes():
    assert parse_definition(b"a: 1\n").checksum == hashlib.sha256(b"a: 1\n").hexdigest()
