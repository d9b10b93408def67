"""The profile rule engine, on the real A08 rules read from the definition file (no database)."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionnaires.definition import parse_definition
from questionnaires.profiles import NA, ProfileResult, applicable, conditions, describe, evaluate

A08_FILE = (
    Path(__file__).resolve().parents[2] / "questionnaires" / "definitions" / "interoperabilite" / "v1.yaml"
)
A08 = parse_definition(A08_FILE.read_bytes(), path=A08_FILE).data
RULES = A08["profiles"]
RANKS = {level["code"]: rank for rank, level in enumerate(A08["levels"])}
LEVELS = list(RANKS)

ALL_GREEN = {"A08.3.1": "vert", "A08.4.1": "vert", "A08.4.3": "vert", "A08.5.01": "vert", "A08.5.23": "vert"}
INTERACTS = {"infra_partage": False, "interagit_partage": True, "connecteur_tiers": False}


def profile(code, qualification, levels) -> ProfileResult:
    return evaluate(RULES, qualification, levels, RANKS)[code]


# (profile, qualification answers, levels, reached, missing sentences)
CASES = [
    ("administration", {"infra_partage": True}, {"A08.4.3": "vert"}, True, []),
    (
        "administration",
        {"infra_partage": False},
        {"A08.4.3": "vert"},
        False,
        ["Qualification « infra_partage » : réponse « non », « oui » requis"],
    ),
    (
        "administration",
        {},
        {"A08.4.3": "vert"},
        False,
        ["Qualification « infra_partage » : sans réponse, « oui » requis"],
    ),
    (
        "administration",
        {"infra_partage": True},
        {"A08.4.3": "jaune"},
        False,
        ["A08.4.3 : niveau jaune, vert requis"],
    ),
    ("administration", {"infra_partage": True}, {}, False, ["A08.4.3 : sans réponse, vert requis"]),
    ("alimentation", INTERACTS, ALL_GREEN, True, []),
    (
        "alimentation",
        INTERACTS | {"interagit_partage": False},
        ALL_GREEN,
        False,
        ["Qualification « interagit_partage » : réponse « non », « oui » requis"],
    ),
    (
        "alimentation",
        INTERACTS,
        ALL_GREEN | {"A08.3.1": "jaune"},
        False,
        ["A08.3.1 : niveau jaune, vert requis"],
    ),
    (
        "alimentation",
        INTERACTS,
        ALL_GREEN | {"A08.4.1": "orange"},
        False,
        ["A08.4.1 : niveau orange, vert requis"],
    ),
    (
        "alimentation",
        INTERACTS,
        ALL_GREEN | {"A08.5.01": "jaune"},
        False,
        [
            "Au moins une des conditions suivantes : Qualification « connecteur_tiers » : réponse « non », "
            "« oui » requis ; ou A08.5.01 : niveau jaune, vert requis"
        ],
    ),
    # A connector only carries other software's documents: A08.5.01 is not required of it.
    ("alimentation", INTERACTS | {"connecteur_tiers": True}, ALL_GREEN | {"A08.5.01": "rouge"}, True, []),
    ("alimentation", INTERACTS | {"connecteur_tiers": True}, ALL_GREEN | {"A08.5.01": NA}, True, []),
    (
        "alimentation",
        INTERACTS | {"connecteur_tiers": True},
        ALL_GREEN | {"A08.4.1": "jaune"},
        False,
        ["A08.4.1 : niveau jaune, vert requis"],
    ),
    ("consultation", INTERACTS, ALL_GREEN, True, []),
    ("consultation", INTERACTS, ALL_GREEN | {"A08.5.23": "jaune"}, True, []),  # jaune is enough
    (
        "consultation",
        INTERACTS,
        ALL_GREEN | {"A08.5.23": "orange"},
        False,
        ["A08.5.23 : niveau orange, au moins jaune requis"],
    ),
    (
        "consultation",
        INTERACTS,
        ALL_GREEN | {"A08.5.23": NA},
        False,
        ["A08.5.23 : non applicable, au moins jaune requis"],
    ),
    (
        "consultation",
        INTERACTS,
        ALL_GREEN | {"A08.3.1": "orange"},
        False,
        ["A08.3.1 : niveau orange, vert requis"],
    ),
    (
        "consultation",
        INTERACTS,
        {"A08.3.1": "vert", "A08.5.23": "vert"},
        False,
        ["A08.4.1 : sans réponse, vert requis"],
    ),
    (
        "consultation",
        {"interagit_partage": None},
        ALL_GREEN,
        False,
        ["Qualification « interagit_partage » : sans réponse, « oui » requis"],
    ),
]


@pytest.mark.parametrize(("code", "qualification", "levels", "reached", "missing"), CASES)
def test_every_profile_condition(code, qualification, levels, reached, missing):
    result = profile(code, qualification, levels)
    assert result.reached is reached
    assert list(result.missing) == missing


def test_progress_counts_conditions_met():
    result = profile("consultation", INTERACTS, {"A08.3.1": "vert", "A08.5.23": "rouge"})
    assert (result.met, result.total) == (2, 4)
    assert result.as_dict() == {
        "reached": False,
        "missing": ["A08.4.1 : sans réponse, vert requis", "A08.5.23 : niveau rouge, au moins jaune requis"],
        "met": 2,
        "total": 4,
    }


def test_an_alternative_counts_as_one_condition():
    result = profile("alimentation", INTERACTS | {"connecteur_tiers": True}, ALL_GREEN)
    assert (result.reached, result.met, result.total) == (True, 4, 4)


def test_every_profile_is_evaluated_in_file_order():
    assert list(evaluate(RULES, {}, {}, RANKS)) == ["administration", "alimentation", "consultation"]


def test_result_is_immutable():
    result = profile("administration", {}, {})
    with pytest.raises(AttributeError):
        result.reached = True


@pytest.mark.parametrize(
    ("tree", "answers", "expected"),
    [
        (None, {}, True),
        ({"qualification": "acces_patient"}, {"acces_patient": True}, True),
        ({"qualification": "acces_patient"}, {"acces_patient": False}, False),
        ({"qualification": "acces_patient"}, {}, False),
        ({"all": [{"qualification": "a"}, {"qualification": "b"}]}, {"a": True, "b": False}, False),
        ({"any": [{"qualification": "a"}, {"qualification": "b"}]}, {"a": False, "b": True}, True),
    ],
)
def test_applicability(tree, answers, expected):
    assert applicable(tree, answers) is expected


def test_rules_read_in_french():
    text = describe(
        RULES["alimentation"]["rule"], qualification_labels={"connecteur_tiers": "Connecteur ?"}, top="vert"
    )
    assert "A08.3.1 au niveau vert" in text
    assert "(réponse « oui » à « Connecteur ? » OU A08.5.01 au niveau vert)" in text
    assert "A08.5.23 au moins au niveau jaune" in describe(RULES["consultation"]["rule"], top="vert")


# --- Properties ---------------------------------------------------------------------------------------
RULE_ITEMS = sorted(
    {node["item"] for rule in RULES.values() for node in conditions(rule["rule"]) if "item" in node}
)
QUALIFICATIONS = ["infra_partage", "interagit_partage", "connecteur_tiers"]
answers_strategy = st.fixed_dictionaries(
    {},
    optional={code: st.sampled_from([*LEVELS, NA]) for code in RULE_ITEMS},
)
qualification_strategy = st.fixed_dictionaries(
    {}, optional={code: st.sampled_from([True, False, None]) for code in QUALIFICATIONS}
)


@given(qualification=qualification_strategy, levels=answers_strategy, data=st.data())
def test_raising_a_level_never_loses_a_profile(qualification, levels, data):
    before = evaluate(RULES, qualification, levels, RANKS)
    raised = dict(levels)
    for code in data.draw(st.lists(st.sampled_from(RULE_ITEMS), unique=True)):
        current = RANKS.get(levels.get(code), -1)
        raised[code] = data.draw(st.sampled_from([level for level in LEVELS if RANKS[level] >= current]))
    after = evaluate(RULES, qualification, raised, RANKS)
    for code, result in before.items():
        assert not result.reached or after[code].reached
        assert after[code].met >= result.met


@given(qualification=qualification_strategy, levels=answers_strategy, item=st.sampled_from(RULE_ITEMS))
def test_na_or_unanswered_never_satisfies_a_level(qualification, levels, item):
    for state in (NA, None):
        answers = {code: level for code, level in levels.items() if code != item}
        if state is not None:
            answers[item] = state
        for result in evaluate(RULES, qualification, answers, RANKS).values():
            assert not any(sentence.startswith(f"{item} : niveau") for sentence in result.missing)
        # the same item answered at the lowest level is never better off than with N/A or no answer
        lowest = evaluate(RULES, qualification, answers | {item: LEVELS[0]}, RANKS)
        for code, result in evaluate(RULES, qualification, answers, RANKS).items():
            assert result.met <= lowest[code].met


@given(qualification=qualification_strategy, levels=answers_strategy)
def test_evaluation_is_deterministic(qualification, levels):
    first = evaluate(RULES, qualification, levels, RANKS)
    assert (
        evaluate(RULES, dict(reversed(qualification.items())), dict(reversed(levels.items())), RANKS) == first
    )


@given(qualification=qualification_strategy, levels=answers_strategy)
def test_reached_means_nothing_missing_and_all_met(qualification, levels):
    for result in evaluate(RULES, qualification, levels, RANKS).values():
        assert result.reached is (not result.missing)
        assert result.reached is (result.met == result.total)
