"""Benchmark of the DMP-compatibility profile engine and of ``manage.py evaluate_profiles``.

Run: ``python bench/profiles.py [--documents 10000]`` (with DATABASE_URL set). It prints:
- evaluations per second of the pure ``questionnaires.profiles.evaluate`` (one evaluation = the three
  profiles of one product), on random answers to the real A08 rules;
- the same through the whole document path (JSON decode, validation, evaluation, JSON encode);
- the wall time of ``manage.py evaluate_profiles FILE`` on N generated documents, process start
  included, and the time spent inside the command.

The definitions are imported and published first (idempotent, like ``load_demo``).
"""

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convergence.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from assessments.interchange import document_levels, validate_document  # noqa: E402
from questionnaires.profiles import NA, evaluate  # noqa: E402
from questionnaires.selectors import published_version, version_definition  # noqa: E402
from questionnaires.services import definition_files, questionnaire_import  # noqa: E402

DEFINITIONS = BASE_DIR / "questionnaires" / "definitions"


def random_document(rng: random.Random, definition: dict) -> dict:
    levels = [*definition["level_ranks"], NA]
    answers = {}
    for code, item in definition["items"].items():
        if rng.random() < 0.1:
            continue  # unanswered
        level = rng.choice(levels if item["na_allowed"] else levels[:-1])
        answers[code] = (
            {"level": level, "justification": "Hors périmètre du produit."}
            if level == NA
            else {"level": level}
        )
    qualification = {
        question["code"]: rng.choice([True, False, None])
        for question in definition["qualification_questions"]
        if question["kind"] == "yes_no"
    }
    reference = {"code": definition["questionnaire"]["code"], "version": definition["number"]}
    return {"questionnaire": reference, "qualification": qualification, "answers": answers}


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s".replace(",", " ")


def bench_pure(definition: dict, documents: list[dict]) -> None:
    inputs = [document_levels(document) for document in documents]
    rules, ranks = definition["profile_rules"], definition["level_ranks"]
    start = time.perf_counter()
    for qualification, levels in inputs:
        evaluate(rules, qualification, levels, ranks)
    elapsed = time.perf_counter() - start
    print(
        f"pure evaluate(): {len(inputs)} évaluations en {elapsed:.3f} s — {per_second(len(inputs), elapsed)}"
    )

    payload = json.dumps(documents)
    start = time.perf_counter()
    results = []
    for document in json.loads(payload):
        if validate_document(document, definition):
            raise SystemExit("document généré invalide")
        qualification, levels = document_levels(document)
        profiles = evaluate(rules, qualification, levels, ranks)
        results.append({"profiles": {code: result.as_dict() for code, result in profiles.items()}})
    json.dumps(results, ensure_ascii=False)
    elapsed = time.perf_counter() - start
    print(
        f"JSON + validation + évaluation: {len(documents)} documents en {elapsed:.3f} s — "
        f"{per_second(len(documents), elapsed)}"
    )


def bench_command(documents: list[dict]) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(documents, handle)
    try:
        start = time.perf_counter()
        call_command("evaluate_profiles", handle.name, stdout=io.StringIO())
        inside = time.perf_counter() - start
        start = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), "evaluate_profiles", handle.name],
            capture_output=True,
            check=True,
        )
        wall = time.perf_counter() - start
        count = len(json.loads(completed.stdout))
    finally:
        os.unlink(handle.name)
    print(f"evaluate_profiles, dans le processus : {len(documents)} documents en {inside:.3f} s")
    print(f"manage.py evaluate_profiles, temps total (démarrage compris) : {count} documents en {wall:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    for path in definition_files([DEFINITIONS]):
        questionnaire_import(path=path, publish=True)
    definition = version_definition(published_version("interoperabilite").pk)
    rng = random.Random(options.seed)
    documents = [random_document(rng, definition) for _ in range(options.documents)]
    print(f"A08 : {len(definition['items'])} exigences, {len(definition['profile_rules'])} profils")
    bench_pure(definition, documents)
    bench_command(documents)


if __name__ == "__main__":
    main()
