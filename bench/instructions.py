"""The questionnaire requests counted in CPU instructions (valgrind's callgrind), on two checkouts.

Run, from this checkout: ``DATABASE_URL=postgres://…/bench_b REDIS_URL=redis://…/15 python
bench/instructions.py --other ../other-checkout --other-database-url postgres://…/bench_a
--other-redis-url redis://…/14 [--requests 20]`` (without ``--other``: this checkout alone).

Timings on a shared machine move with its other tenants: two runs of the same code differ by more
than most changes (see ``bench/compare.py``). The number of instructions a request executes does not:
the same code on the same data gives the same count within a few thousandths, whatever the machine is
doing. For each measure of ``bench/questionnaire.py`` (trivial view, a section of 40 items, the full
view of 300 items, an answer save on an item the profile rules read, and one on an item they do not
read) it runs, in each checkout, a process under ``valgrind --tool=callgrind`` that builds the same
data as ``bench/questionnaire.py``, sends the requests through Django's test client (production
settings, the whole middleware stack, no HTTP server), and counts only the measured requests (the
count is switched on after 10 warm-up requests). It prints the instructions per request of each side
and this checkout's over the other's.

What it counts is this process's work: the Python side of a request (Django, the ORM, the templates,
the drivers). PostgreSQL's and Redis's own work is not in it; ``bench/compare.py --load`` measures the
whole. The other checkout needs this file (and this ``bench/questionnaire.py``) in its ``bench/``.
Needs valgrind (Debian package ``valgrind``). The data stays in the databases, as with
``bench/questionnaire.py``: point it at benchmark databases.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent.parent
MEASURES = ("vue triviale", "section", "vue complète", "enregistrement (règle)", "enregistrement (autre)")
WARM_UP = 10
RULE_ITEM, OTHER_ITEM = "A08.3.1", "X.100"  # of the benchmark's questionnaire: read by the rules, or not


def child(measure: str, count: int) -> None:
    """Under callgrind: build the data, warm up, then count ``count`` requests of ``measure``."""
    sys.path.insert(0, str(HERE))
    from bench import questionnaire as bq  # sets up Django with the benchmark's settings

    bq.collect_static()
    from django.test import Client as TestClient

    import bench.trivial_wsgi  # noqa: F401 (adds the trivial view's URL)

    version = bq.questionnaire_version(
        items=bq.ITEMS, per_section=bq.PER_SECTION, code=f"instr-{os.getpid()}"
    )
    vendor = bq.Vendor(0, version)
    client = TestClient(HTTP_HOST="127.0.0.1")
    for cookie in (vendor.data["cookie"], f"{vendor.data['csrf_cookie']}={vendor.csrf}"):
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    levels = iter(["vert", "jaune"] * (count + WARM_UP))

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{measure} : réponse HTTP {response.status_code}")

    def save(code: str) -> None:
        body = {"level": next(levels), "revision": vendor.revisions[code], "justification": "", "comment": ""}
        response = client.post(
            vendor.save_urls[code],
            urlencode(body),
            content_type="application/x-www-form-urlencoded",
            HTTP_X_CSRFTOKEN=vendor.csrf,
            HTTP_HX_REQUEST="true",
            HTTP_REFERER="http://127.0.0.1/",
        )
        match = bq.REVISION.search(response.content)
        if response.status_code != 200 or not match:
            raise SystemExit(f"{measure} : réponse HTTP {response.status_code} : {response.content[:300]!r}")
        vendor.revisions[code] = int(match.group(1))

    call = {
        "vue triviale": lambda: get("/bench/trivial/"),
        "section": lambda: get(vendor.data["section"]),
        "vue complète": lambda: get(vendor.data["full"]),
        "enregistrement (règle)": lambda: save(RULE_ITEM),
        "enregistrement (autre)": lambda: save(OTHER_ITEM),
    }[measure]
    for _ in range(WARM_UP):
        call()
    control = ["callgrind_control", "--instr"]
    subprocess.run([*control, "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(count):
        call()
    subprocess.run([*control, "off", str(os.getpid())], check=True, capture_output=True)


def count_instructions(checkout: Path, database_url: str, redis_url: str, measure: str, count: int) -> int:
    """Instructions per request of ``measure`` in ``checkout`` (its own .venv, database and Redis)."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={output}",
            str(checkout / ".venv/bin/python"),
            "bench/instructions.py",
            "--child",
            measure,
            "--requests",
            str(count),
        ]
        environment = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
        result = subprocess.run(command, cwd=checkout, env=environment, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(
                f"{checkout} ({measure}) : échec\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )
        totals = re.search(r"^totals: (\d+)", output.read_text(), re.MULTILINE)
    return int(totals.group(1)) // count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, help="l'autre checkout (avec son .venv)")
    parser.add_argument("--other-database-url")
    parser.add_argument("--other-redis-url")
    parser.add_argument("--requests", type=int, default=20, help="requêtes comptées par mesure")
    parser.add_argument("--child", choices=MEASURES, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.requests)
        return
    sides = {"ici": (HERE, os.environ["DATABASE_URL"], os.environ["REDIS_URL"])}
    if options.other:
        sides["autre"] = (options.other.resolve(), options.other_database_url, options.other_redis_url)
    print(f"Instructions par requête (callgrind, {options.requests} requêtes comptées par mesure) :")
    for measure in MEASURES:
        counts = {
            side: count_instructions(*where, measure, options.requests) for side, where in sides.items()
        }
        line = f"  {measure:<24} ici {counts['ici']:>12,}".replace(",", " ")
        if "autre" in counts:
            line += f"   autre {counts['autre']:>12,}".replace(",", " ")
            line += f"   ici / autre {counts['ici'] / counts['autre']:5.3f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
