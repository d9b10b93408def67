"""Reading and validating a questionnaire definition file (schema: definitions/README.md).

Pure: no database access. ``parse_definition`` returns the data and the complete list of problems,
each in French with its location in the file, so an author fixes everything in one pass.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from questionnaires.profiles import APPLICABILITY_KEYS, NA, RULE_KEYS, rule_errors

THEMES = ("interoperabilite", "securite", "urbanisation", "dmn")
QUESTION_KINDS = ("yes_no", "choice")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
FILE_NAME_PATTERN = re.compile(r"^v(\d+)\.ya?ml$")

TOP_KEYS = {"questionnaire": True, "version": True, "levels": True, "qualification": False}
TOP_KEYS |= {"sections": True, "profiles": False, "carry_over": False}
QUESTIONNAIRE_KEYS = {"code": True, "title": True, "theme": True}
LEVEL_KEYS = {"code": True, "label": True, "colour": True}
QUESTION_KEYS = {"code": True, "text": True, "kind": False, "choices": False, "help": False}
SECTION_KEYS = {"code": True, "title": True, "items": True}
ITEM_KEYS = {"code": True, "title": True, "help": False, "reference": False, "na_allowed": False}
ITEM_KEYS |= {"levels": False, "applies_if": False, "proofs": False, "wave": False, "declaration_if": False}
PROFILE_KEYS = {"label": True, "rule": True}
WAVE_KEYS = {"number": True, "effective": False, "note": False}
CARRY_OVER_KEYS = {"from": True, "items": True}
CARRY_ITEM_KEYS = {"from": True, "meaning": False}
# How a v(N) item relates to the item of the previous version it continues (``carry_over``).
MEANING_SAME = "same"  # the answer is copied
MEANING_CHANGED = "changed"  # the levels say something else now: copied, flagged "à revoir"
MEANINGS = (MEANING_SAME, MEANING_CHANGED)
CARRY_NEW = "new"  # nothing to carry

YAML_INVALID = "Fichier YAML illisible : {error}"
DUPLICATE_KEY = "ligne {line} : la clé « {key} » est répétée."
NOT_A_MAPPING = "{where} : un dictionnaire est attendu."
NOT_A_LIST = "{where} : une liste non vide est attendue."
UNKNOWN_KEYS = "{where} : clé(s) inconnue(s) {keys}."
MISSING_KEY = "{where} : la clé « {key} » est obligatoire."
NOT_TEXT = "{where} : un texte non vide est attendu."
BAD_CODE = "{where} : code « {code} » invalide (minuscules, chiffres et _ ; commence par une lettre)."
BAD_ITEM_CODE = "{where} : code « {code} » invalide (lettres, chiffres, points, tirets)."
DUPLICATE_CODE = "{where} : le code « {code} » est déjà utilisé dans ce fichier."
BAD_THEME = "{where} : thème « {value} » inconnu ; attendu l'un de {choices}."
BAD_VERSION = "{where} : un numéro de version entier supérieur ou égal à 1 est attendu."
BAD_COLOUR = "{where} : couleur « {value} » invalide ; attendu #RRVVBB."
NA_RESERVED = "{where} : le code « na » est réservé à « non applicable »."
BAD_KIND = "{where} : type « {value} » inconnu ; attendu yes_no ou choice."
CHOICES_REQUIRED = "{where} : une question à choix unique doit lister au moins deux choix."
CHOICES_FORBIDDEN = "{where} : seules les questions à choix unique ont des choix."
NOT_A_BOOLEAN = "{where} : true ou false est attendu."
UNKNOWN_LEVEL_DESCRIPTION = "{where} : niveau « {level} » inconnu dans l'échelle."
NA_FORBIDDEN = (
    "{where} : une description « na » est donnée alors que cette exigence interdit « non applicable »."
)
PROOF_KINDS = ("file", "link", "description")
# The formats a file proof may accept; each is recognised from the file's content (proofs/filetypes.py).
PROOF_FORMATS = ("pdf", "mp4", "webm", "png", "jpg", "txt", "log", "json", "xml", "zip")
PROOF_KEYS = {"code": True, "kind": True, "label": True, "instruction": True, "formats": False}
PROOF_KEYS |= {"max_size_mb": False, "min": False, "max": False}
PROOF_MAX_SIZE_MB = 1024
DEFAULT_PROOF_SIZE_MB = 20
ADDENDUM_KEYS = {"questionnaire": True, "version": True, "items": True}
BAD_PROOF_KIND = "{where} : type « {value} » inconnu ; attendu file, link ou description."
BAD_PROOF_FORMAT = "{where} : format « {value} » inconnu ; attendu l'un de {choices}."
FORMATS_REQUIRED = "{where} : une preuve de type file doit lister ses formats acceptés."
FORMATS_FORBIDDEN = "{where} : seules les preuves de type file ont des formats et une taille maximale."
BAD_PROOF_SIZE = "{where} : une taille en Mo, entière, entre 1 et {max}, est attendue."
BAD_PROOF_COUNT = "{where} : un nombre entier positif ou nul est attendu."
BAD_PROOF_RANGE = "{where} : le maximum doit être au moins 1 et au moins égal au minimum ({min})."
UNKNOWN_PROOF_ITEM = "{where} : l'exigence « {code} » n'existe pas dans la version {number} du questionnaire."
PROOFS_TWICE = (
    "{where} : les preuves de l'exigence « {code} » sont déjà déclarées dans le fichier du questionnaire."
)
ADDENDUM_MISMATCH = "{where} : le fichier est rangé sous « {expected} » mais déclare « {found} »."
FILE_VERSION_MISMATCH = "version : le fichier {name} doit contenir la version {expected}, pas {found}."
BAD_WAVE_NUMBER = "{where} : un numéro de vague entier supérieur ou égal à 1 est attendu."
BAD_DATE = "{where} : une date AAAA-MM-JJ est attendue."
NA_CONDITION = "{where} : true, false ou une condition sur la qualification est attendu."
BAD_CARRY_FROM = "{where} : le numéro d'une version antérieure (de 1 à {last}) est attendu."
CARRY_MISSING = (
    "carry_over.items : l'exigence « {code} » n'est pas décrite (reprise d'une exigence, ou « new »)."
)
CARRY_UNKNOWN = "carry_over.items.{code} : cette exigence n'existe pas dans ce fichier."
CARRY_BAD_VALUE = (
    "carry_over.items.{code} : « new » ou {{from: <code>, meaning: same | changed}} est attendu."
)
CARRY_BAD_MEANING = "carry_over.items.{code}.meaning : « {value} » inconnu ; attendu same ou changed."
CARRY_PREVIOUS_UNKNOWN = (
    "carry_over.items.{code}.from : l'exigence « {source} » n'existe pas dans la version {number}."
)
CARRY_PREVIOUS_MISSING = "carry_over.from : le fichier {name} de la version {number} est introuvable."
FILE_CODE_MISMATCH = "questionnaire.code : le fichier est rangé sous « {folder} » mais déclare « {code} »."


@dataclass
class ParsedDefinition:
    data: dict | None
    checksum: str
    errors: list[str] = field(default_factory=list)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that reports repeated keys instead of silently keeping the last one."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self.duplicate_keys.append(DUPLICATE_KEY.format(line=key_node.start_mark.line + 1, key=key))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_definition(raw: bytes, *, path: Path | None = None) -> ParsedDefinition:
    checksum = hashlib.sha256(raw).hexdigest()
    loader = _UniqueKeyLoader(raw.decode("utf-8", errors="replace"))
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        return ParsedDefinition(None, checksum, [YAML_INVALID.format(error=error)])
    finally:
        loader.dispose()
    errors = loader.duplicate_keys + definition_errors(data)
    if path is not None and not errors:
        errors += _location_errors(data, path)
    return ParsedDefinition(data if not errors else None, checksum, errors)


def definition_errors(data) -> list[str]:
    """Every problem of a loaded definition, in French, each with its location."""
    errors = _keys_errors(data, TOP_KEYS, "racine")
    if errors:
        return errors
    errors += _questionnaire_errors(data["questionnaire"])
    if not isinstance(data["version"], int) or isinstance(data["version"], bool) or data["version"] < 1:
        errors.append(BAD_VERSION.format(where="version"))
    level_codes, level_errors = _levels(data["levels"])
    yes_no_codes, question_errors = _questions(data.get("qualification", []))
    item_codes, item_errors = _sections(data["sections"], level_codes=level_codes, yes_no_codes=yes_no_codes)
    errors += level_errors + question_errors + item_errors
    errors += _profiles_errors(
        data.get("profiles", {}), item_codes=item_codes, yes_no_codes=yes_no_codes, level_codes=level_codes
    )
    if "carry_over" in data:
        errors += _carry_over_errors(data["carry_over"], item_codes=item_codes, version=data["version"])
    return errors


def item_codes_of(data: dict) -> list[str]:
    """The item codes of a valid definition, in the file's order."""
    return [item["code"] for section in data["sections"] for item in section["items"]]


def carried_sources(data: dict) -> dict[str, dict]:
    """{item code: {"from": previous code, "meaning": same | changed}} of the items that continue one."""
    return {
        code: {"from": value["from"], "meaning": value.get("meaning", MEANING_SAME)}
        for code, value in data.get("carry_over", {}).get("items", {}).items()
        if isinstance(value, dict)
    }


def _carry_over_errors(carry_over, *, item_codes: set, version) -> list[str]:
    if errors := _keys_errors(carry_over, CARRY_OVER_KEYS, "carry_over"):
        return errors
    source = carry_over["from"]
    last = version - 1 if isinstance(version, int) else 0
    if not isinstance(source, int) or isinstance(source, bool) or not 1 <= source <= last:
        errors.append(BAD_CARRY_FROM.format(where="carry_over.from", last=max(last, 1)))
    items = carry_over["items"]
    if not isinstance(items, dict):
        return [*errors, NOT_A_MAPPING.format(where="carry_over.items")]
    for code, value in items.items():
        if code not in item_codes:
            errors.append(CARRY_UNKNOWN.format(code=code))
        if value == CARRY_NEW:
            continue
        if not isinstance(value, dict) or set(value) - set(CARRY_ITEM_KEYS) or "from" not in value:
            errors.append(CARRY_BAD_VALUE.format(code=code))
        elif not isinstance(value["from"], str) or not value["from"].strip():
            errors.append(NOT_TEXT.format(where=f"carry_over.items.{code}.from"))
        elif value.get("meaning", MEANING_SAME) not in MEANINGS:
            errors.append(CARRY_BAD_MEANING.format(code=code, value=value["meaning"]))
    errors += [CARRY_MISSING.format(code=code) for code in sorted(item_codes) if code not in items]
    return errors


def _location_errors(data, path: Path) -> list[str]:
    errors = _previous_version_errors(data, path) if "carry_over" in data else []
    if match := FILE_NAME_PATTERN.match(path.name):
        expected = int(match.group(1))
        if expected != data["version"]:
            errors.append(
                FILE_VERSION_MISMATCH.format(name=path.name, expected=expected, found=data["version"])
            )
        if path.parent.name != data["questionnaire"]["code"]:
            errors.append(
                FILE_CODE_MISMATCH.format(folder=path.parent.name, code=data["questionnaire"]["code"])
            )
    return errors


def _previous_version_errors(data, path: Path) -> list[str]:
    """The items a ``carry_over`` continues must exist in the previous version's file, beside this one."""
    number = data["carry_over"]["from"]
    previous = path.with_name(f"v{number}.yaml")
    try:
        parsed = parse_definition(previous.read_bytes())
    except OSError:
        return [CARRY_PREVIOUS_MISSING.format(name=previous.name, number=number)]
    if parsed.errors:
        return [f"{previous.name} : {error}" for error in parsed.errors]
    known = set(item_codes_of(parsed.data))
    return [
        CARRY_PREVIOUS_UNKNOWN.format(code=code, source=value["from"], number=number)
        for code, value in carried_sources(data).items()
        if value["from"] not in known
    ]


def _keys_errors(value, keys: dict[str, bool], where: str) -> list[str]:
    if not isinstance(value, dict):
        return [NOT_A_MAPPING.format(where=where)]
    errors = []
    if unknown := sorted(str(key) for key in value if key not in keys):
        errors.append(UNKNOWN_KEYS.format(where=where, keys=", ".join(f"« {key} »" for key in unknown)))
    errors += [
        MISSING_KEY.format(where=where, key=key)
        for key, required in keys.items()
        if required and key not in value
    ]
    return errors


def _text_errors(mapping: dict, keys, where: str) -> list[str]:
    return [
        NOT_TEXT.format(where=f"{where}.{key}")
        for key in keys
        if key in mapping and (not isinstance(mapping[key], str) or not mapping[key].strip())
    ]


def _list_errors(value, where: str) -> list[str]:
    return [] if isinstance(value, list) and value else [NOT_A_LIST.format(where=where)]


def _code_errors(code, where: str, seen: set, pattern=CODE_PATTERN, message=BAD_CODE) -> list[str]:
    if not isinstance(code, str) or not pattern.match(code):
        return [message.format(where=where, code=code)]
    if code in seen:
        return [DUPLICATE_CODE.format(where=where, code=code)]
    seen.add(code)
    return []


def _questionnaire_errors(questionnaire) -> list[str]:
    errors = _keys_errors(questionnaire, QUESTIONNAIRE_KEYS, "questionnaire")
    if errors:
        return errors
    errors += _code_errors(questionnaire["code"], "questionnaire.code", set())
    errors += _text_errors(questionnaire, ["title"], "questionnaire")
    if questionnaire["theme"] not in THEMES:
        errors.append(
            BAD_THEME.format(where="questionnaire.theme", value=questionnaire["theme"], choices=THEMES)
        )
    return errors


def _levels(levels) -> tuple[set, list[str]]:
    if errors := _list_errors(levels, "levels"):
        return set(), errors
    codes: set = set()
    for index, level in enumerate(levels):
        where = f"levels[{index}]"
        if level_errors := _keys_errors(level, LEVEL_KEYS, where):
            errors += level_errors
            continue
        if level["code"] == NA:
            errors.append(NA_RESERVED.format(where=f"{where}.code"))
            continue
        errors += _code_errors(level["code"], f"{where}.code", codes)
        errors += _text_errors(level, ["label"], where)
        if not isinstance(level["colour"], str) or not COLOUR_PATTERN.match(level["colour"]):
            errors.append(BAD_COLOUR.format(where=f"{where}.colour", value=level["colour"]))
    return codes, errors


def _questions(questions) -> tuple[set, list[str]]:
    """(codes of the yes/no questions, which rules may name; errors)."""
    if not isinstance(questions, list):
        return set(), [NOT_A_LIST.format(where="qualification")]
    codes: set = set()
    yes_no: set = set()
    errors: list[str] = []
    for index, question in enumerate(questions):
        where = f"qualification[{index}]"
        if question_errors := _keys_errors(question, QUESTION_KEYS, where):
            errors += question_errors
            continue
        code_errors = _code_errors(question["code"], f"{where}.code", codes)
        errors += (
            code_errors + _text_errors(question, ["text", "help"], where) + _kind_errors(question, where)
        )
        if not code_errors and question.get("kind", "yes_no") == "yes_no":
            yes_no.add(question["code"])
    return yes_no, errors


def _kind_errors(question: dict, where: str) -> list[str]:
    kind = question.get("kind", "yes_no")
    if kind not in QUESTION_KINDS:
        return [BAD_KIND.format(where=f"{where}.kind", value=kind)]
    choices = question.get("choices")
    if kind == "yes_no":
        return [CHOICES_FORBIDDEN.format(where=f"{where}.choices")] if choices is not None else []
    valid = isinstance(choices, list) and len(choices) >= 2
    if not valid or not all(isinstance(choice, str) and choice.strip() for choice in choices):
        return [CHOICES_REQUIRED.format(where=f"{where}.choices")]
    return []


def _sections(sections, *, level_codes: set, yes_no_codes: set) -> tuple[set, list[str]]:
    if errors := _list_errors(sections, "sections"):
        return set(), errors
    section_codes: set = set()
    item_codes: set = set()
    for index, section in enumerate(sections):
        where = f"sections[{index}]"
        if section_errors := _keys_errors(section, SECTION_KEYS, where):
            errors += section_errors
            continue
        errors += _code_errors(
            section["code"], f"{where}.code", section_codes, ITEM_CODE_PATTERN, BAD_ITEM_CODE
        )
        errors += _text_errors(section, ["title"], where)
        if list_errors := _list_errors(section["items"], f"{where}.items"):
            errors += list_errors
            continue
        for item_index, item in enumerate(section["items"]):
            item_where = f"{where}.items[{item_index}]"
            errors += _item_errors(
                item, item_where, item_codes, level_codes=level_codes, yes_no_codes=yes_no_codes
            )
    return item_codes, errors


def _item_errors(item, where: str, item_codes: set, *, level_codes: set, yes_no_codes: set) -> list[str]:
    if errors := _keys_errors(item, ITEM_KEYS, where):
        return errors
    errors += _code_errors(item["code"], f"{where}.code", item_codes, ITEM_CODE_PATTERN, BAD_ITEM_CODE)
    where = f"{where} ({item['code']})"
    errors += _text_errors(item, ["title", "help", "reference"], where)
    na_allowed = item.get("na_allowed", True)
    if isinstance(na_allowed, dict):
        errors += _condition_errors(na_allowed, f"{where}.na_allowed", yes_no_codes)
    elif not isinstance(na_allowed, bool):
        errors.append(NA_CONDITION.format(where=f"{where}.na_allowed"))
    errors += _level_description_errors(item.get("levels", {}), f"{where}.levels", level_codes, na_allowed)
    if "proofs" in item:
        errors += proofs_errors(item["proofs"], f"{where}.proofs")
    for key in ("applies_if", "declaration_if"):
        if (condition := item.get(key)) is not None:
            errors += _condition_errors(condition, f"{where}.{key}", yes_no_codes)
    if "wave" in item:
        errors += _wave_errors(item["wave"], f"{where}.wave")
    return errors


def _condition_errors(condition, where: str, yes_no_codes: set) -> list[str]:
    return rule_errors(
        condition, where=where, qualification_codes=yes_no_codes, allowed_keys=APPLICABILITY_KEYS
    )


def _wave_errors(wave, where: str) -> list[str]:
    if errors := _keys_errors(wave, WAVE_KEYS, where):
        return errors
    number = wave["number"]
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        errors.append(BAD_WAVE_NUMBER.format(where=f"{where}.number"))
    if "effective" in wave and not _is_date(wave["effective"]):
        errors.append(BAD_DATE.format(where=f"{where}.effective"))
    return errors + _text_errors(wave, ["note"], where)


def _is_date(value) -> bool:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return True
    try:
        datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and len(value) == 10


def _level_description_errors(descriptions, where: str, level_codes: set, na_allowed) -> list[str]:
    if not isinstance(descriptions, dict):
        return [NOT_A_MAPPING.format(where=where)]
    errors = []
    for level, text in descriptions.items():
        if level == NA and na_allowed is False:
            errors.append(NA_FORBIDDEN.format(where=f"{where}.na"))
        elif level != NA and level not in level_codes:
            errors.append(UNKNOWN_LEVEL_DESCRIPTION.format(where=f"{where}.{level}", level=level))
        elif not isinstance(text, str) or not text.strip():
            errors.append(NOT_TEXT.format(where=f"{where}.{level}"))
    return errors


def _profiles_errors(profiles, *, item_codes: set, yes_no_codes: set, level_codes: set) -> list[str]:
    if not isinstance(profiles, dict):
        return [NOT_A_MAPPING.format(where="profiles")]
    errors = []
    for code, profile in profiles.items():
        where = f"profiles.{code}"
        errors += _code_errors(code, where, set())
        if profile_errors := _keys_errors(profile, PROFILE_KEYS, where):
            errors += profile_errors
            continue
        errors += _text_errors(profile, ["label"], where)
        errors += rule_errors(
            profile["rule"],
            where=f"{where}.rule",
            item_codes=item_codes,
            qualification_codes=yes_no_codes,
            level_codes=level_codes,
            allowed_keys=RULE_KEYS,
        )
    return errors


def _int_errors(value, where: str, message: str, low: int, high: int | None = None) -> list[str]:
    valid = isinstance(value, int) and not isinstance(value, bool) and value >= low
    if not valid or (high is not None and value > high):
        return [message.format(where=where, max=high)]
    return []


def proofs_errors(proofs, where: str) -> list[str]:
    """Problems of an item's ``proofs`` list (each a file, link or description to provide)."""
    if errors := _list_errors(proofs, where):
        return errors
    codes: set = set()
    for index, proof in enumerate(proofs):
        errors += _proof_errors(proof, f"{where}[{index}]", codes)
    return errors


def _proof_errors(proof, where: str, codes: set) -> list[str]:
    if errors := _keys_errors(proof, PROOF_KEYS, where):
        return errors
    errors += _code_errors(proof["code"], f"{where}.code", codes)
    errors += _text_errors(proof, ["label", "instruction"], where)
    if proof["kind"] not in PROOF_KINDS:
        errors.append(BAD_PROOF_KIND.format(where=f"{where}.kind", value=proof["kind"]))
    elif proof["kind"] == "file":
        errors += _formats_errors(proof.get("formats"), f"{where}.formats")
        if "max_size_mb" in proof:
            errors += _int_errors(
                proof["max_size_mb"], f"{where}.max_size_mb", BAD_PROOF_SIZE, 1, PROOF_MAX_SIZE_MB
            )
    elif "formats" in proof or "max_size_mb" in proof:
        errors.append(FORMATS_FORBIDDEN.format(where=where))
    minimum, maximum = proof.get("min", 1), proof.get("max", 1)
    count_errors = _int_errors(minimum, f"{where}.min", BAD_PROOF_COUNT, 0)
    count_errors += _int_errors(maximum, f"{where}.max", BAD_PROOF_COUNT, 0)
    if not count_errors and (maximum < 1 or maximum < minimum):
        count_errors.append(BAD_PROOF_RANGE.format(where=f"{where}.max", min=minimum))
    return errors + count_errors


def _formats_errors(formats, where: str) -> list[str]:
    if not isinstance(formats, list) or not formats:
        return [FORMATS_REQUIRED.format(where=where)]
    return [
        BAD_PROOF_FORMAT.format(where=where, value=value, choices=", ".join(PROOF_FORMATS))
        for value in formats
        if value not in PROOF_FORMATS
    ]


def expected_proof_fields(proof: dict, order: int) -> dict:
    """The ``ExpectedProof`` fields of a validated proof declaration."""
    is_file = proof["kind"] == "file"
    return {
        "code": proof["code"],
        "kind": proof["kind"],
        "label": proof["label"],
        "instruction": proof["instruction"],
        "formats": list(proof.get("formats", [])) if is_file else [],
        "max_size": proof.get("max_size_mb", DEFAULT_PROOF_SIZE_MB) * 1024 * 1024 if is_file else 0,
        "min_count": proof.get("min", 1),
        "max_count": proof.get("max", 1),
        "order": order,
    }


def parse_proofs_addendum(
    raw: bytes, *, code: str, number: int, item_codes: set, inline: set
) -> ParsedDefinition:
    """Read a ``proofs-v<N>.yaml`` file: the proofs of a version published before items declared them.

    ``item_codes``: the version's items; ``inline``: those whose proofs its own file already declares.
    """
    checksum = hashlib.sha256(raw).hexdigest()
    loader = _UniqueKeyLoader(raw.decode("utf-8", errors="replace"))
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        return ParsedDefinition(None, checksum, [YAML_INVALID.format(error=error)])
    finally:
        loader.dispose()
    errors = loader.duplicate_keys + _keys_errors(data, ADDENDUM_KEYS, "racine")
    if errors:
        return ParsedDefinition(None, checksum, errors)
    if data["questionnaire"] != code:
        errors.append(
            ADDENDUM_MISMATCH.format(where="questionnaire", expected=code, found=data["questionnaire"])
        )
    if data["version"] != number:
        errors.append(ADDENDUM_MISMATCH.format(where="version", expected=number, found=data["version"]))
    if not isinstance(data["items"], dict) or not data["items"]:
        return ParsedDefinition(None, checksum, [*errors, NOT_A_MAPPING.format(where="items")])
    for item_code, proofs in data["items"].items():
        where = f"items.{item_code}"
        if item_code not in item_codes:
            errors.append(UNKNOWN_PROOF_ITEM.format(where=where, code=item_code, number=number))
        elif item_code in inline:
            errors.append(PROOFS_TWICE.format(where=where, code=item_code))
        errors += proofs_errors(proofs, where)
    return ParsedDefinition(data if not errors else None, checksum, errors)


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def wave_words(wave: dict | None) -> str:
    """An item's wave as vendors read it: « Vague 2, à partir du 1er janvier 2026 : note »."""
    if not wave:
        return ""
    words = f"Vague {wave['number']}"
    if effective := wave.get("effective"):
        day = datetime.date.fromisoformat(str(effective))
        number = "1er" if day.day == 1 else str(day.day)
        words += f", à partir du {number}\u00a0{MONTHS[day.month - 1]} {day.year}"
    if note := wave.get("note"):
        words += f"\u00a0: {note}"
    return words
