"""Validation of the interchange document (pure: the definition is plain data)."""

import copy
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.interchange import (
    declaration_date,
    document_levels,
    questionnaire_reference,
    validate_document,
)

DEFINITION = {
    "questionnaire": {"code": "interoperabilite"},
    "number": 1,
    "level_ranks": {"rouge": 0, "orange": 1, "jaune": 2, "vert": 3},
    "qualification_questions": [
        {"code": "interagit_partage", "kind": "yes_no", "choices": []},
        {"code": "secteur", "kind": "choice", "choices": ["Ville", "Hôpital"]},
    ],
    "items": {
        "A08.3.1": {"code": "A08.3.1", "na_allowed": False},
        "A08.5.23": {"code": "A08.5.23", "na_allowed": True},
    },
}
VALID = {
    "questionnaire": {"code": "interoperabilite", "version": 1},
    "qualification": {"interagit_partage": True, "secteur": "Ville"},
    "answers": {
        "A08.3.1": {"level": "vert", "comment": "En production."},
        "A08.5.23": {"level": "na", "justification": "Aucun document reçu."},
    },
}


def errors_after(change) -> list[str]:
    document = copy.deepcopy(VALID)
    change(document)
    return validate_document(document, DEFINITION)


def test_valid_document_has_no_error():
    assert validate_document(copy.deepcopy(VALID), DEFINITION) == []


def test_a_sworn_declaration_and_the_review_flag_are_part_of_an_answer():
    def change(doc):
        doc["answers"]["A08.5.23"] |= {
            "declarant": "Claire Durand",
            "declarant_role": "Directrice technique",
            "declared_on": "2025-03-02",
        }
        doc["answers"]["A08.3.1"]["to_review"] = True

    assert errors_after(change) == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-03-02", datetime.date(2025, 3, 2)),
        ("2100-12-31", datetime.date(2100, 12, 31)),
        ("2025-3-2", None),
        ("2101-01-01", None),
        ("2025-03-02T10:00", None),
        ("２０２５-０３-０２", None),
    ],
)
def test_declaration_date_reads_calendar_days_only(text, day):
    assert declaration_date(text) == day


def test_levels_and_qualification_are_extracted():
    assert document_levels(VALID) == (
        {"interagit_partage": True, "secteur": "Ville"},
        {"A08.3.1": "vert", "A08.5.23": "na"},
    )


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            lambda doc: doc["answers"].update({"A08.9.9": {"level": "vert"}}),
            "answers.A08.9.9 : exigence inconnue dans interoperabilite v1.",
        ),
        (
            lambda doc: doc["answers"]["A08.3.1"].update(level="bleu"),
            "answers.A08.3.1.level : niveau « bleu » inconnu ; attendu l'un de rouge, orange, jaune, vert, na.",
        ),
        (
            lambda doc: doc["answers"]["A08.5.23"].pop("justification"),
            "answers.A08.5.23 : « non applicable » exige une justification écrite.",
        ),
        (
            lambda doc: doc["answers"]["A08.5.23"].update(justification="  "),
            "answers.A08.5.23 : « non applicable » exige une justification écrite.",
        ),
        (
            lambda doc: doc["answers"].update({"A08.3.1": {"level": "na", "justification": "Pas concerné."}}),
            "answers.A08.3.1 : cette exigence n'accepte pas « non applicable ».",
        ),
        (
            lambda doc: doc["qualification"].update(infra=True),
            "qualification.infra : question de qualification inconnue dans interoperabilite v1.",
        ),
        (
            lambda doc: doc["qualification"].update(interagit_partage="oui"),
            "qualification.interagit_partage : true, false ou null est attendu.",
        ),
        (
            lambda doc: doc["qualification"].update(secteur="Lune"),
            "qualification.secteur : « Lune » n'est pas un choix possible (Ville, Hôpital).",
        ),
        (
            lambda doc: doc["answers"]["A08.3.1"].update(level=3),
            "answers.A08.3.1.level : un texte est attendu.",
        ),
        (
            lambda doc: doc["answers"]["A08.3.1"].pop("level"),
            "answers.A08.3.1 : la clé « level » est obligatoire.",
        ),
        (
            lambda doc: doc["answers"].update({"A08.3.1": "vert"}),
            "answers.A08.3.1 : un objet JSON est attendu.",
        ),
        (lambda doc: doc.update(answers=[]), "answers : un objet JSON est attendu."),
        (
            lambda doc: doc["answers"]["A08.5.23"].update(declarant=["Claire", "Durand"]),
            "answers.A08.5.23.declarant : un texte est attendu.",
        ),
        (
            lambda doc: doc["answers"]["A08.5.23"].update(to_review="oui"),
            "answers.A08.5.23.to_review : true ou false est attendu.",
        ),
        *[
            (
                lambda doc, day=day: doc["answers"]["A08.5.23"].update(declared_on=day),
                "answers.A08.5.23.declared_on : une date réelle au format AAAA-MM-JJ (années 2000 à "
                "2100) est attendue.",
            )
            for day in ["2025-02-30", "02/03/2025", "2025-W10-1", "20250302", 20250302, "1999-12-31", None]
        ],
        (lambda doc: doc.update(extra=1), "document : clé(s) inconnue(s) « extra »."),
        (lambda doc: doc.pop("qualification"), "document : la clé « qualification » est obligatoire."),
        (
            lambda doc: doc["questionnaire"].update(version=2),
            "questionnaire : le document vise « interoperabilite v2 » alors que la version évaluée est "
            "« interoperabilite v1 ».",
        ),
        (
            lambda doc: doc["questionnaire"].update(version="1"),
            "questionnaire.version : un numéro de version entier supérieur ou égal à 1 est attendu.",
        ),
        (lambda doc: doc.pop("questionnaire"), "questionnaire : un objet JSON est attendu."),
    ],
)
def test_each_problem_is_reported_in_french(change, error):
    assert errors_after(change) == [error]


def test_every_problem_is_listed_at_once():
    def change(doc):
        doc["answers"]["A08.3.1"]["level"] = "bleu"
        doc["answers"]["A08.5.23"].pop("justification")
        doc["qualification"]["x"] = True

    assert len(errors_after(change)) == 3


def test_reference_of_a_non_object_is_an_error():
    assert questionnaire_reference([1, 2]) == (None, ["document : un objet JSON est attendu."])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@given(
    answers=st.dictionaries(st.sampled_from(["A08.3.1", "A08.5.23", "X"]), json_values, max_size=3),
    qualification=st.dictionaries(
        st.sampled_from(["interagit_partage", "secteur", "y"]), json_values, max_size=3
    ),
)
def test_arbitrary_content_never_crashes_and_only_clean_documents_pass(answers, qualification):
    document = {"questionnaire": {"code": "interoperabilite", "version": 1}, "qualification": qualification}
    document["answers"] = answers
    errors = validate_document(document, DEFINITION)
    if not errors:
        _, levels = document_levels(document)
        assert set(levels) <= set(DEFINITION["items"])
        assert set(levels.values()) <= {*DEFINITION["level_ranks"], "na"}
