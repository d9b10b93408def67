"""The questionnaire benchmark on two checkouts at once, their requests alternating.

Run, from this checkout: ``DATABASE_URL=postgres://…/bench_b REDIS_URL=redis://…/15 python
bench/compare.py --other ../other-checkout --other-database-url postgres://…/bench_a
--other-redis-url redis://…/14 [--rounds 10] [--requests 30] [--load 15]``.

Timing one checkout, then the other, lets the machine's own variations (other tenants of a shared
host, a checkpoint) fall on one side: on a noisy machine two runs of the same code differ by more
than the changes measured. Here both servers run side by side (``bench/questionnaire.py --serve`` in
each checkout, with its own database and Redis; the other checkout needs this file's version of
``bench/questionnaire.py``), and every measure alternates: one request to each in turn, the order
swapped each round. It prints, for the trivial view, a section (40 items), the full view (300 items)
and an answer save, each side's median, its ratio to its own trivial view, and the ratio of this
checkout's median to the other's. With ``--load SECONDS`` it then runs the 50-vendor load test on
each side in turn (``--load-rounds`` times, the order swapped each round): throughput of the trivial
view and of saves, and their medians. For figures that do not move with the machine at all, count
instructions instead (``bench/instructions.py``).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from bench.questionnaire import Client, load_run, measures  # noqa: E402 (sets up Django)


def serve(checkout: Path, database_url: str, redis_url: str, vendors: int) -> tuple[subprocess.Popen, list]:
    environment = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    command = [
        str(checkout / ".venv/bin/python"),
        "bench/questionnaire.py",
        "--serve",
        "--vendors",
        str(vendors),
    ]
    process = subprocess.Popen(
        command, cwd=checkout, env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    line = process.stdout.readline()
    if not line:
        raise SystemExit(f"{checkout} : le serveur ne démarre pas")
    served = json.loads(line)
    return process, [Client(served["port"], data) for data in served["vendors"]]


def one(call, measure: str) -> float:
    status, body, elapsed = call()
    if status != 200:
        raise SystemExit(f"{measure} : réponse HTTP {status} : {body[:300]!r}")
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, required=True, help="l'autre checkout (avec son .venv)")
    parser.add_argument("--other-database-url", required=True)
    parser.add_argument("--other-redis-url", required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30, help="requêtes par mesure, côté et tour")
    parser.add_argument("--load", type=float, default=0, help="durée de chaque essai de charge (s)")
    parser.add_argument(
        "--load-rounds", type=int, default=2, help="tours de l'essai de charge (chaque côté, ordre alterné)"
    )
    options = parser.parse_args()
    vendors = 50 if options.load else 1
    sides = {
        "autre": serve(options.other.resolve(), options.other_database_url, options.other_redis_url, vendors),
        "ici": serve(HERE, os.environ["DATABASE_URL"], os.environ["REDIS_URL"], vendors),
    }
    calls = {side: measures(clients[0]) for side, (_, clients) in sides.items()}
    names = list(calls["ici"])
    try:
        timings = {(measure, side): [] for measure in names for side in sides}
        for round_ in range(-1, options.rounds):  # round -1 warms every worker up, and is not kept
            order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
            for measure in names:
                for _ in range(options.requests if round_ >= 0 else 10):
                    for side in order:
                        elapsed = one(calls[side][measure], measure)
                        if round_ >= 0:
                            timings[measure, side].append(elapsed)
        medians = {key: statistics.median(values) for key, values in timings.items()}
        count = options.rounds * options.requests
        print(
            f"Médianes sur {count} requêtes de chaque côté, alternées (ms, × la vue triviale du même côté) :"
        )
        for measure in names:
            other, here = medians[measure, "autre"], medians[measure, "ici"]
            print(
                f"  {measure:<16} autre {other:7.2f} (×{other / medians['vue triviale', 'autre']:4.1f})"
                f"   ici {here:7.2f} (×{here / medians['vue triviale', 'ici']:4.1f})   ici / autre {here / other:5.3f}"
            )
        if options.load:
            load_rounds(sides, options.load, options.load_rounds)
    finally:
        for process, _ in sides.values():
            process.stdin.close()
            process.wait(timeout=60)


def load_rounds(sides: dict, seconds: float, rounds: int) -> None:
    """The 50-vendor load on each side in turn, ``rounds`` times (the order swapped each round), then
    each side's median throughput (trivial view, saves) and this checkout's over the other's: one
    run's figure moves with the machine's state, the medians of alternated runs much less."""
    throughputs = {(side, kind): [] for side in sides for kind in ("trivial", "saves")}
    for round_ in range(rounds):
        for side in sides if round_ % 2 == 0 else reversed(sides):
            print(f"[{side}, tour {round_ + 1}]", flush=True)
            unit = load_run(sides[side][1], seconds, trivial=True)
            saves = load_run(sides[side][1], seconds)
            throughputs[side, "trivial"].append(unit)
            throughputs[side, "saves"].append(saves)
            print(f"  enregistrements / vue triviale : {saves / unit:.0%}")
    medians = {key: statistics.median(values) for key, values in throughputs.items()}
    print(f"Débits médians sur {rounds} essais de {seconds:.0f} s de chaque côté (req/s) :")
    for kind, label in (("trivial", "vue triviale"), ("saves", "enregistrements")):
        other, here = medians["autre", kind], medians["ici", kind]
        print(f"  {label:<16} autre {other:7.0f}   ici {here:7.0f}   ici / autre {here / other:5.3f}")
    for side in sides:
        print(
            f"  [{side}] enregistrements / vue triviale : {medians[side, 'saves'] / medians[side, 'trivial']:.0%}"
        )


if __name__ == "__main__":
    main()
