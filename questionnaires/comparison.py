"""What changed between two versions of a questionnaire, for the reviewers' referential pages.

Pure: takes two definitions as ``selectors.version_definition`` gives them. The newer version's
``carry_over`` mapping says which item continues which (by code otherwise).
"""

from dataclasses import dataclass, field

# The fields of an item whose change is a rewording, with their words.
WORDED_FIELDS = {
    "title": "intitulé",
    "help_text": "aide",
    "reference": "référence",
    "level_descriptions": "descriptions des niveaux",
    "wave": "vague",
}
# The fields that change when the item applies, or how it may be answered.
RULE_FIELDS = {
    "applicability": "condition d'applicabilité",
    "na_allowed": "« non applicable » autorisé",
    "na_condition": "condition de la non-applicabilité",
    "declaration_condition": "déclaration sur l'honneur",
}


@dataclass
class Comparison:
    added: list[dict] = field(default_factory=list)  # items of the newer version
    removed: list[dict] = field(default_factory=list)  # items of the older version
    reworded: list[dict] = field(default_factory=list)  # {"item", "source", "fields": [words]}
    meaning_changed: list[dict] = field(default_factory=list)  # {"item", "source"}
    rules_changed: list[dict] = field(default_factory=list)  # {"item", "source", "fields"}
    profiles_changed: list[str] = field(default_factory=list)  # profile labels
    questions_added: list[str] = field(default_factory=list)  # question texts
    questions_removed: list[str] = field(default_factory=list)


def compare(old: dict, new: dict) -> Comparison:
    """The differences from ``old`` to ``new`` (two versions of one questionnaire)."""
    mapping = _mapping(old, new)
    result = Comparison()
    continued = set()
    for code, item in new["items"].items():
        source_code, changed = mapping.get(code, (None, False))
        source = old["items"].get(source_code)
        if source is None:
            result.added.append(item)
            continue
        continued.add(source_code)
        pair = {"item": item, "source": source}
        if changed:
            result.meaning_changed.append(pair)
        if worded := _changed(source, item, WORDED_FIELDS):
            result.reworded.append(pair | {"fields": worded})
        if rules := _changed(source, item, RULE_FIELDS):
            result.rules_changed.append(pair | {"fields": rules})
    result.removed = [item for code, item in old["items"].items() if code not in continued]
    result.profiles_changed = [
        profile.get("label", code)
        for code, profile in new["profile_rules"].items()
        if old["profile_rules"].get(code, {}).get("rule") != profile["rule"]
    ]
    result.profiles_changed += [
        profile.get("label", code)
        for code, profile in old["profile_rules"].items()
        if code not in new["profile_rules"]
    ]
    old_questions = {question["code"]: question for question in old["qualification_questions"]}
    new_questions = {question["code"]: question for question in new["qualification_questions"]}
    result.questions_added = [q["text"] for code, q in new_questions.items() if code not in old_questions]
    result.questions_removed = [q["text"] for code, q in old_questions.items() if code not in new_questions]
    return result


def _mapping(old: dict, new: dict) -> dict[str, tuple[str, bool]]:
    declared = new.get("carry_over") or {}
    if declared.get("from") == old["number"]:
        return {
            code: (value["from"], value.get("meaning") == "changed")
            for code, value in declared["items"].items()
            if isinstance(value, dict)
        }
    return {code: (code, False) for code in new["items"] if code in old["items"]}


def _changed(source: dict, item: dict, fields: dict[str, str]) -> list[str]:
    return [words for name, words in fields.items() if source.get(name) != item.get(name)]
