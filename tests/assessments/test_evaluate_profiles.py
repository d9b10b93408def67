"""``manage.py evaluate_profiles``: file or standard input, object or array, exit code 2 on bad input."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.management.commands.evaluate_profiles import TOO_DEEP
from questionnaires.selectors import _definitions
from tests.questionnaires.factories import import_real_definitions

pytestmark = pytest.mark.django_db

FEEDER = {
    "questionnaire": {"code": "interoperabilite", "version": 1},
    "qualification": {"infra_partage": False, "interagit_partage": True, "connecteur_tiers": False},
    "answers": {
        "A08.3.1": {"level": "vert"},
        "A08.4.1": {"level": "vert"},
        "A08.5.01": {"level": "vert", "comment": "Validé sur l'espace de tests."},
        "A08.5.23": {"level": "orange"},
    },
}


@pytest.fixture(autouse=True)
def definitions():
    _definitions.clear()
    return import_real_definitions()


def run(*args, stdin=None) -> tuple[object, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        import sys

        saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("evaluate_profiles", *args, stdout=out, stderr=err)
    finally:
        if stdin is not None:
            sys.stdin = saved
    return json.loads(out.getvalue()), err.getvalue()


def test_one_document_from_a_file(tmp_path):
    path = tmp_path / "produit.json"
    path.write_text(json.dumps(FEEDER))
    result, _ = run(str(path))
    assert result == {
        "profiles": {
            "administration": {
                "reached": False,
                "missing": [
                    "Qualification « infra_partage » : réponse « non », « oui » requis",
                    "A08.4.3 : sans réponse, vert requis",
                ],
                "met": 0,
                "total": 2,
            },
            "alimentation": {"reached": True, "missing": [], "met": 4, "total": 4},
            "consultation": {
                "reached": False,
                "missing": ["A08.5.23 : niveau orange, au moins jaune requis"],
                "met": 3,
                "total": 4,
            },
        }
    }


def test_an_array_from_standard_input_gives_an_array():
    consumer = json.loads(json.dumps(FEEDER))
    consumer["answers"]["A08.5.23"] = {"level": "jaune"}
    result, _ = run(stdin=json.dumps([FEEDER, consumer]))
    assert [item["profiles"]["consultation"]["reached"] for item in result] == [False, True]


def test_version_is_resolved_once_for_many_documents(django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        result, _ = run(stdin=json.dumps([FEEDER] * 200))
    assert len(result) == 200


@pytest.mark.parametrize(
    ("payload", "messages"),
    [
        ("{not json", ["JSON illisible : "]),
        ("42", ["document : un objet JSON est attendu."]),
        (
            json.dumps([FEEDER, {**FEEDER, "questionnaire": {"code": "interoperabilite", "version": 9}}]),
            ["document [1] : questionnaire : aucune version publiée « interoperabilite v9 »."],
        ),
        (
            json.dumps(
                {
                    **FEEDER,
                    "answers": {
                        "A08.9.99": {"level": "vert"},
                        "A08.4.1": {"level": "bleu"},
                        "A08.3.1": {"level": "na", "justification": "Aucune connexion."},
                        "A08.5.23": {"level": "na"},
                    },
                }
            ),
            [
                "answers.A08.9.99 : exigence inconnue dans interoperabilite v1.",
                "answers.A08.4.1.level : niveau « bleu » inconnu ; attendu l'un de rouge, orange, jaune, vert, na.",
                "answers.A08.3.1 : cette exigence n'accepte pas « non applicable ».",
                "answers.A08.5.23 : « non applicable » exige une justification écrite.",
            ],
        ),
    ],
)
def test_invalid_input_lists_every_problem_and_exits_with_2(payload, messages):
    import sys

    err = io.StringIO()
    saved, sys.stdin = sys.stdin, io.StringIO(payload)
    try:
        with pytest.raises(CommandError) as raised:
            call_command("evaluate_profiles", stdout=io.StringIO(), stderr=err)
    finally:
        sys.stdin = saved
    assert raised.value.returncode == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages, strict=True):
        assert line.startswith(message)


def test_missing_file_exits_with_2(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command(
            "evaluate_profiles", str(tmp_path / "absent.json"), stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert raised.value.returncode == 2


def test_deeply_nested_input_is_a_french_error_not_a_crash(tmp_path):
    path = tmp_path / "profond.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("evaluate_profiles", str(path), stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 2
    assert err.getvalue().strip() == TOO_DEEP
