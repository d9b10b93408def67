"""The interchange document (schema: assessments/INTERCHANGE.md): validation against a definition.

Pure (no Django import): it works on the plain data of ``questionnaires.selectors.version_definition``
so the evaluation command, the assessment import and the export share one set of rules and messages.
Every problem is reported, each with its location, in French.
"""

import datetime
import re
from collections.abc import Mapping

from questionnaires.profiles import NA

DOCUMENT_KEYS = frozenset({"questionnaire", "qualification", "answers", "meta"})
# A sworn declaration (its text is the justification): who made it, in what capacity, on which day.
DECLARATION_KEYS = frozenset({"declarant", "declarant_role", "declared_on"})
TEXT_KEYS = frozenset({"level", "comment", "justification", "declarant", "declarant_role"})
ANSWER_KEYS = TEXT_KEYS | {"declared_on", "to_review"}
# The years a declaration date may name, on the questionnaire page as in a document.
DECLARATION_YEARS = (2000, 2100)
# Calendar dates only: Python also reads week dates (2026-W10-1) and compact forms (20260302).
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

NOT_AN_OBJECT = "{where} : un objet JSON est attendu."
UNKNOWN_KEYS = "{where} : clé(s) inconnue(s) {keys}."
MISSING_KEY = "{where} : la clé « {key} » est obligatoire."
BAD_CODE = "questionnaire.code : un code de questionnaire (texte) est attendu."
BAD_NUMBER = "questionnaire.version : un numéro de version entier supérieur ou égal à 1 est attendu."
WRONG_QUESTIONNAIRE = (
    "questionnaire : le document vise « {found} » alors que la version évaluée est « {expected} »."
)
UNKNOWN_QUALIFICATION = "qualification.{code} : question de qualification inconnue dans {questionnaire}."
NOT_A_BOOLEAN = "qualification.{code} : true, false ou null est attendu."
NOT_A_CHOICE = "qualification.{code} : « {value} » n'est pas un choix possible ({choices})."
UNKNOWN_ITEM = "answers.{code} : exigence inconnue dans {questionnaire}."
NOT_TEXT = "answers.{code}.{key} : un texte est attendu."
UNKNOWN_LEVEL = "answers.{code}.level : niveau « {level} » inconnu ; attendu l'un de {levels}."
NA_WITHOUT_JUSTIFICATION = "answers.{code} : « non applicable » exige une justification écrite."
NA_FORBIDDEN = "answers.{code} : cette exigence n'accepte pas « non applicable »."
NOT_A_DATE = (
    "answers.{code}.declared_on : une date réelle au format AAAA-MM-JJ (années 2000 à 2100) est attendue."
)
NOT_A_FLAG = "answers.{code}.to_review : true ou false est attendu."


def questionnaire_reference(document) -> tuple[tuple[str, int] | None, list[str]]:
    """(questionnaire code, version number) named by the document, or None and the errors."""
    if not isinstance(document, Mapping):
        return None, [NOT_AN_OBJECT.format(where="document")]
    reference = document.get("questionnaire")
    if not isinstance(reference, Mapping):
        return None, [NOT_AN_OBJECT.format(where="questionnaire")]
    errors = _keys_errors(reference, {"code", "version"}, {"code", "version"}, "questionnaire")
    code, number = reference.get("code"), reference.get("version")
    if "code" in reference and (not isinstance(code, str) or not code):
        errors.append(BAD_CODE)
    if "version" in reference and (not _is_int(number) or number < 1):
        errors.append(BAD_NUMBER)
    return (None, errors) if errors else ((code, number), [])


def validate_document(document, definition: Mapping) -> list[str]:
    """Every problem of ``document`` against the version ``definition``; empty when it is valid."""
    reference, errors = questionnaire_reference(document)
    if reference is None:
        return errors
    errors = _keys_errors(document, DOCUMENT_KEYS, {"questionnaire", "qualification", "answers"}, "document")
    name = _name(definition)
    if reference != (definition["questionnaire"]["code"], definition["number"]):
        errors.append(WRONG_QUESTIONNAIRE.format(found=f"{reference[0]} v{reference[1]}", expected=name))
    if "qualification" in document:
        errors += _qualification_errors(document["qualification"], definition, name)
    if "answers" in document:
        errors += _answers_errors(document["answers"], definition, name)
    return errors


def document_levels(document: Mapping) -> tuple[dict[str, bool | None], dict[str, str]]:
    """(qualification answers, {item code: level}) of a valid document, ready for profiles.evaluate."""
    levels = {code: answer["level"] for code, answer in document["answers"].items()}
    return dict(document["qualification"]), levels


def declaration_date(text: str) -> datetime.date | None:
    """The day written ``AAAA-MM-JJ`` (years ``DECLARATION_YEARS``), None when ``text`` is not one."""
    if not isinstance(text, str) or not ISO_DAY.fullmatch(text):
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    first, last = DECLARATION_YEARS
    return day if first <= day.year <= last else None


def _name(definition: Mapping) -> str:
    return f"{definition['questionnaire']['code']} v{definition['number']}"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _keys_errors(mapping: Mapping, allowed, required, where: str) -> list[str]:
    errors = []
    if unknown := sorted(str(key) for key in mapping if key not in allowed):
        errors.append(UNKNOWN_KEYS.format(where=where, keys=", ".join(f"« {key} »" for key in unknown)))
    errors += [MISSING_KEY.format(where=where, key=key) for key in sorted(required) if key not in mapping]
    return errors


def _qualification_errors(qualification, definition: Mapping, name: str) -> list[str]:
    if not isinstance(qualification, Mapping):
        return [NOT_AN_OBJECT.format(where="qualification")]
    questions = {question["code"]: question for question in definition["qualification_questions"]}
    errors = []
    for code, value in qualification.items():
        question = questions.get(code)
        if question is None:
            errors.append(UNKNOWN_QUALIFICATION.format(code=code, questionnaire=name))
        elif question["kind"] == "choice":
            if value is not None and value not in question["choices"]:
                choices = ", ".join(question["choices"])
                errors.append(NOT_A_CHOICE.format(code=code, value=value, choices=choices))
        elif value is not None and not isinstance(value, bool):
            errors.append(NOT_A_BOOLEAN.format(code=code))
    return errors


def _answers_errors(answers, definition: Mapping, name: str) -> list[str]:
    if not isinstance(answers, Mapping):
        return [NOT_AN_OBJECT.format(where="answers")]
    items = definition["items"]
    level_codes = definition["level_ranks"]
    errors = []
    for code, answer in answers.items():
        item = items.get(code)
        if item is not None and _plainly_valid(answer, level_codes):
            continue
        if item is None:
            errors.append(UNKNOWN_ITEM.format(code=code, questionnaire=name))
        elif not isinstance(answer, Mapping):
            errors.append(NOT_AN_OBJECT.format(where=f"answers.{code}"))
        else:
            errors += _answer_errors(code, answer, item, level_codes)
    return errors


def _plainly_valid(answer, level_codes: Mapping) -> bool:
    """The common case (a known level, text fields only), checked cheaply: 10,000 documents a call."""
    return (
        type(answer) is dict
        and answer.keys() <= TEXT_KEYS
        and all(type(value) is str for value in answer.values())
        and answer.get("level") in level_codes
    )


def _answer_errors(code: str, answer: Mapping, item: Mapping, level_codes: Mapping) -> list[str]:
    errors = _keys_errors(answer, ANSWER_KEYS, {"level"}, f"answers.{code}")
    errors += [
        NOT_TEXT.format(code=code, key=key)
        for key in sorted(TEXT_KEYS)
        if key in answer and not isinstance(answer[key], str)
    ]
    if "declared_on" in answer and declaration_date(answer["declared_on"]) is None:
        errors.append(NOT_A_DATE.format(code=code))
    if "to_review" in answer and not isinstance(answer["to_review"], bool):
        errors.append(NOT_A_FLAG.format(code=code))
    level = answer.get("level")
    if not isinstance(level, str):
        return errors
    if level == NA:
        if not item["na_allowed"]:
            errors.append(NA_FORBIDDEN.format(code=code))
        justification = answer.get("justification")
        if not isinstance(justification, str) or not justification.strip():
            errors.append(NA_WITHOUT_JUSTIFICATION.format(code=code))
    elif level not in level_codes:
        levels = ", ".join([*level_codes, NA])
        errors.append(UNKNOWN_LEVEL.format(code=code, level=level, levels=levels))
    return errors
