"""DMP-compatibility profiles: a pure evaluation of the rule trees stored with a questionnaire version.

No Django import on purpose: the rules, the qualification answers and the levels come in as plain
data, so the engine is tested without a database and runs thousands of times per second.

A rule tree node is one of::

    {"all": [node, ...]}                      every child holds
    {"any": [node, ...]}                      at least one child holds
    {"qualification": "code"}                 the qualification question was answered yes
    {"not": node}                             the child does not hold (applicability conditions only)
    {"item": "A08.4.1", "at_least": "vert"}   the item's level ranks at least that high

Progress counts conditions: a leaf is one condition, an ``all`` adds up its children, an ``any`` is one
condition (met when one of its alternatives is).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from questionnaires.levels import NA_LABEL, NA_LEVEL, UNANSWERED_LABEL

NA = NA_LEVEL
RULE_KEYS = frozenset({"all", "any", "qualification", "item"})
APPLICABILITY_KEYS = frozenset({"all", "any", "not", "qualification"})

# Inside an explanation ("A08.5.23 : non applicable, jaune requis").
UNANSWERED = UNANSWERED_LABEL.lower()
NOT_APPLICABLE = NA_LABEL.lower()
ITEM_MISSING = "{item} : {state}, {needed} requis"
QUALIFICATION_MISSING = "Qualification « {code} » : {state}, « oui » requis"
# With the question's text (what vendors and reviewers read; the code is internal).
QUESTION_MISSING = "Question « {text} » : {state}, « oui » requis"
ANY_MISSING = "Au moins une des conditions suivantes : {alternatives}"
ANY_SEPARATOR = " ; ou "


@dataclass(frozen=True, slots=True)
class ProfileResult:
    reached: bool
    missing: tuple[str, ...] = field(default_factory=tuple)
    met: int = 0
    total: int = 0

    def as_dict(self) -> dict:
        return {"reached": self.reached, "missing": list(self.missing), "met": self.met, "total": self.total}


def evaluate(
    rules: Mapping[str, Mapping],
    qualification: Mapping[str, bool | None],
    levels: Mapping[str, str],
    level_ranks: Mapping[str, int],
    qualification_labels: Mapping[str, str] | None = None,
) -> dict[str, ProfileResult]:
    """Evaluate every profile of ``rules`` ({code: {"label", "rule"}}) against the answers.

    ``levels`` maps item codes to a level code or ``"na"``; an absent item is unanswered. Neither an
    unanswered item nor ``na`` satisfies an ``at_least`` condition; a qualification holds only when True.
    ``qualification_labels`` ({code: question text}) names the questions in the unmet conditions.
    """
    context = _Context(qualification, levels, level_ranks, qualification_labels or {})
    results = {}
    for code, profile in rules.items():
        met, total, missing = context.node(profile["rule"])
        results[code] = ProfileResult(reached=not missing, missing=tuple(missing), met=met, total=total)
    return results


def applicable(applicability: Mapping | None, qualification: Mapping[str, bool | None]) -> bool:
    """Whether an item applies given the qualification answers; ``None`` means always."""
    if applicability is None:
        return True
    if "all" in applicability:
        return all(applicable(child, qualification) for child in applicability["all"])
    if "any" in applicability:
        return any(applicable(child, qualification) for child in applicability["any"])
    if "not" in applicability:
        return not applicable(applicability["not"], qualification)
    return qualification.get(applicability["qualification"]) is True


class _Context:
    __slots__ = ("labels", "levels", "qualification", "ranks", "top")

    def __init__(self, qualification, levels, level_ranks, labels):
        self.labels = labels
        self.qualification = qualification
        self.levels = levels
        self.ranks = level_ranks
        self.top = max(level_ranks.values()) if level_ranks else None

    def node(self, node: Mapping) -> tuple[int, int, list[str]]:
        """(conditions met, conditions counted, sentences for the unmet ones)."""
        if "all" in node:
            met = total = 0
            missing: list[str] = []
            for child in node["all"]:
                child_met, child_total, child_missing = self.node(child)
                met, total = met + child_met, total + child_total
                missing += child_missing
            return met, total, missing
        if "any" in node:
            alternatives = []
            for child in node["any"]:
                _, _, child_missing = self.node(child)
                if not child_missing:
                    return 1, 1, []
                alternatives += child_missing
            return 0, 1, [ANY_MISSING.format(alternatives=ANY_SEPARATOR.join(alternatives))]
        if "item" in node:
            sentence = self.item(node["item"], node["at_least"])
        else:
            sentence = self.qualification_condition(node["qualification"])
        return (0, 1, [sentence]) if sentence else (1, 1, [])

    def item(self, code: str, at_least: str) -> str | None:
        required = self.ranks[at_least]
        level = self.levels.get(code)
        if level is not None and self.ranks.get(level, -1) >= required:
            return None
        if level is None:
            state = UNANSWERED
        elif level == NA:
            state = NOT_APPLICABLE
        else:
            state = f"niveau {level}"
        needed = at_least if required == self.top else f"au moins {at_least}"
        return ITEM_MISSING.format(item=code, state=state, needed=needed)

    def qualification_condition(self, code: str) -> str | None:
        answer = self.qualification.get(code)
        if answer is True:
            return None
        state = UNANSWERED if answer is None else "réponse « non »"
        if text := self.labels.get(code):
            return QUESTION_MISSING.format(text=text, state=state)
        return QUALIFICATION_MISSING.format(code=code, state=state)


# --- Structure: validation and description, used by the importer and the referential pages ---------
def rule_errors(
    node,
    *,
    where: str,
    item_codes=frozenset(),
    qualification_codes=frozenset(),
    level_codes=frozenset(),
    allowed_keys=RULE_KEYS,
) -> list[str]:
    """French error messages for a malformed tree, each prefixed with ``where`` (its location)."""
    if not isinstance(node, Mapping):
        return [f"{where} : une condition doit être un dictionnaire."]
    kind = next((key for key in node if key in allowed_keys), None)
    if kind is None:
        keys = ", ".join(sorted(allowed_keys))
        return [f"{where} : condition inconnue {sorted(node)!r} ; attendu l'une des clés {keys}."]
    expected = {kind, "at_least"} if kind == "item" else {kind}
    if extra := set(node) - expected:
        return [f"{where} : clé(s) inattendue(s) {sorted(extra)!r}."]
    if kind == "not":
        return rule_errors(
            node["not"],
            where=f"{where}.not",
            item_codes=item_codes,
            qualification_codes=qualification_codes,
            level_codes=level_codes,
            allowed_keys=allowed_keys,
        )
    if kind in ("all", "any"):
        children = node[kind]
        if not isinstance(children, list) or not children:
            return [f"{where}.{kind} : une liste non vide de conditions est attendue."]
        errors = []
        for index, child in enumerate(children):
            errors += rule_errors(
                child,
                where=f"{where}.{kind}[{index}]",
                item_codes=item_codes,
                qualification_codes=qualification_codes,
                level_codes=level_codes,
                allowed_keys=allowed_keys,
            )
        return errors
    if kind == "qualification":
        if not isinstance(node[kind], str) or node[kind] not in qualification_codes:
            return [
                f"{where} : la question de qualification « {node[kind]} » n'existe pas (ou n'est pas oui/non)."
            ]
        return []
    errors = []
    if not isinstance(node["item"], str) or node["item"] not in item_codes:
        errors.append(f"{where} : l'exigence « {node['item']} » n'existe pas.")
    if "at_least" not in node:
        errors.append(f"{where} : « at_least » (niveau minimal) est obligatoire.")
    elif not isinstance(node["at_least"], str) or node["at_least"] not in level_codes:
        errors.append(f"{where} : le niveau « {node['at_least']} » n'existe pas dans l'échelle.")
    return errors


def describe(
    node: Mapping, *, qualification_labels: Mapping[str, str] | None = None, top: str | None = None
) -> str:
    """The condition in plain French, for the referential pages."""
    labels = qualification_labels or {}
    if "all" in node:
        parts = [describe(child, qualification_labels=labels, top=top) for child in node["all"]]
        return parts[0] if len(parts) == 1 else "(" + " ET ".join(parts) + ")"
    if "any" in node:
        parts = [describe(child, qualification_labels=labels, top=top) for child in node["any"]]
        return parts[0] if len(parts) == 1 else "(" + " OU ".join(parts) + ")"
    if "not" in node:
        child = node["not"]
        if "qualification" in child:
            return f"réponse « non » à « {labels.get(child['qualification'], child['qualification'])} »"
        return f"NON {describe(child, qualification_labels=labels, top=top)}"
    if "item" in node:
        level = node["at_least"]
        return (
            f"{node['item']} au niveau {level}"
            if level == top
            else f"{node['item']} au moins au niveau {level}"
        )
    code = node["qualification"]
    return f"réponse « oui » à « {labels.get(code, code)} »"


def conditions(node: Mapping) -> Iterator[Mapping]:
    """Every leaf condition of a tree, depth first."""
    for kind in ("all", "any"):
        if kind in node:
            for child in node[kind]:
                yield from conditions(child)
            return
    if "not" in node:
        yield from conditions(node["not"])
        return
    yield node
