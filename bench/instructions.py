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

With ``--server`` the requests go over HTTP to gunicorn (one worker, one thread, production settings)
run under callgrind instead, and the worker's instructions are counted: the test client skips
gunicorn's HTTP parsing and Django's per-request handling of the database connection (returned to the
pool at the end of each request, taken back at the next), the server does not. It adds the load
test's mix (``enregistrements mêlés``: a random item and level of a random vendor among ``--vendors``,
50 by default, seed 7; each save a level other than the one the answer holds), sent in sequence. Only gunicorn runs under valgrind: the data is built at
full speed.

What it counts is this process's work: the Python side of a request (Django, the ORM, the templates,
the drivers). PostgreSQL's and Redis's own work is not in it; ``bench/compare.py --load`` measures the
whole. The other checkout needs this file (and this ``bench/questionnaire.py``) in its ``bench/``.
Needs valgrind (Debian package ``valgrind``). The data stays in the databases, as with
``bench/questionnaire.py``: point it at benchmark databases.
"""

import argparse
import itertools
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent.parent
MEASURES = ("vue triviale", "section", "vue complète", "enregistrement (règle)", "enregistrement (autre)")
WARM_UP = 10
RULE_ITEM, OTHER_ITEM = "A08.3.1", "X.100"  # of the benchmark's questionnaire: read by the rules, or not
MIX = "enregistrements mêlés"
TOTALS = re.compile(r"^totals: (\d+)", re.MULTILINE)


def pages(vendor) -> dict[str, str]:
    """The address of each page measure for ``vendor`` (a ``bench.questionnaire.Vendor``)."""
    return {
        "vue triviale": "/bench/trivial/",
        "section": vendor.data["section"],
        "vue complète": vendor.data["full"],
    }


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
    levels = itertools.cycle(("vert", "jaune"))

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

    url = pages(vendor).get(measure)
    item = RULE_ITEM if "règle" in measure else OTHER_ITEM

    def call() -> None:
        if url:
            get(url)
        else:
            save(item)

    for _ in range(WARM_UP):
        call()
    control = ["callgrind_control", "--instr"]
    subprocess.run([*control, "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(count):
        call()
    subprocess.run([*control, "off", str(os.getpid())], check=True, capture_output=True)


def server_child(measure: str, count: int, vendors: int, directory: Path) -> None:
    """Build the data, start gunicorn under callgrind (output files in ``directory``), warm up, then
    count the worker's instructions over ``count`` requests of ``measure`` sent in sequence."""
    sys.path.insert(0, str(HERE))
    from bench import questionnaire as bq  # sets up Django with the benchmark's settings

    bq.collect_static()
    bq.Client.timeout = 900  # a first page under valgrind takes minutes
    port = bq.free_port()
    version = bq.questionnaire_version(
        items=bq.ITEMS, per_section=bq.PER_SECTION, code=f"instr-{os.getpid()}"
    )
    clients = [bq.Vendor(port, version) for _ in range(vendors if measure == MIX else 1)]
    vendor, rng, levels = clients[0], random.Random(7), itertools.cycle(("vert", "jaune"))
    url, item = pages(vendor).get(measure), RULE_ITEM if "règle" in measure else OTHER_ITEM
    command = [
        "valgrind",
        "--tool=callgrind",
        "--trace-children=yes",
        "--instr-atstart=no",
        f"--callgrind-out-file={directory}/callgrind.out.%p",
        *bq.gunicorn_command(port, workers=1, threads=1),
        *("--timeout", "900"),
    ]
    server = subprocess.Popen(command, cwd=HERE, env={**os.environ, **bq.SERVER_ENV})
    try:
        deadline = time.monotonic() + 600  # Django starts some fifty times slower under valgrind
        while not bq.listening(port):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn ne démarre pas sous valgrind")
            time.sleep(1)

        def call() -> None:
            if url:
                status, body, _ = vendor.request("GET", url)
            elif measure == MIX:
                client = rng.choice(clients)
                code = rng.choice(client.items)
                status, body, _ = client.save(code, client.other_level(rng, code))
            else:
                status, body, _ = vendor.save(item, next(levels))
            if status != 200:
                raise SystemExit(f"{measure} : réponse HTTP {status} : {body[:300]!r}")

        for _ in range(max(WARM_UP, 2 * len(clients))):  # every vendor's first request is warm-up
            call()
        (worker,) = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        control = ["callgrind_control", "--instr"]
        subprocess.run([*control, "on", worker], check=True, capture_output=True)
        for _ in range(count):
            call()
        subprocess.run([*control, "off", worker], check=True, capture_output=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=300)
    print(f"worker {worker}")


def _run(checkout: Path, database_url: str, redis_url: str, measure: str, command: list[str]) -> str:
    """Run ``command`` in ``checkout`` against its database and Redis; its standard output."""
    environment = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    result = subprocess.run(command, cwd=checkout, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{checkout} ({measure}) : échec\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def _totals(outputs) -> int:
    """The instructions counted in callgrind output files."""
    return sum(int(found.group(1)) for output in outputs if (found := TOTALS.search(output.read_text())))


def count_instructions(checkout: Path, database_url: str, redis_url: str, measure: str, count: int) -> int:
    """Instructions per request of ``measure`` in ``checkout`` (its own .venv, database and Redis)."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={output}"]
        command += [str(checkout / ".venv/bin/python"), "bench/instructions.py", "--child", measure]
        _run(checkout, database_url, redis_url, measure, [*command, "--requests", str(count)])
        return _totals([output]) // count


def count_server_instructions(
    checkout: Path, database_url: str, redis_url: str, measure: str, count: int, *, vendors: int
) -> int:
    """Instructions per request of ``measure`` in the gunicorn worker of ``checkout``."""
    with tempfile.TemporaryDirectory() as directory:
        command = [str(checkout / ".venv/bin/python"), "bench/instructions.py", "--server-child", measure]
        command += ["--requests", str(count), "--vendors", str(vendors), "--directory", directory]
        stdout = _run(checkout, database_url, redis_url, measure, command)
        worker = re.search(r"^worker (\d+)$", stdout, re.MULTILINE)
        if not worker:
            raise SystemExit(
                f"{checkout} ({measure}) : le travailleur gunicorn n'est pas nommé\n{stdout[-2000:]}"
            )
        return _totals(Path(directory).glob(f"callgrind.out.{worker.group(1)}*")) // count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, help="l'autre checkout (avec son .venv)")
    parser.add_argument("--other-database-url")
    parser.add_argument("--other-redis-url")
    parser.add_argument("--requests", type=int, default=20, help="requêtes comptées par mesure")
    parser.add_argument(
        "--server", action="store_true", help="compte le travailleur gunicorn (requêtes HTTP) et le mélange"
    )
    parser.add_argument("--vendors", type=int, default=50, help="éditeurs du mélange (avec --server)")
    parser.add_argument("--child", choices=MEASURES, help=argparse.SUPPRESS)
    parser.add_argument("--server-child", choices=(*MEASURES, MIX), help=argparse.SUPPRESS)
    parser.add_argument("--directory", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.requests)
        return
    if options.server_child:
        server_child(options.server_child, options.requests, options.vendors, options.directory)
        return
    sides = {"ici": (HERE, os.environ["DATABASE_URL"], os.environ["REDIS_URL"])}
    if options.other:
        sides["autre"] = (options.other.resolve(), options.other_database_url, options.other_redis_url)
    where_counted = "travailleur gunicorn, requêtes HTTP" if options.server else "client de test"
    print(
        f"Instructions par requête (callgrind, {where_counted}, {options.requests} requêtes comptées par mesure) :"
    )
    count = (
        partial(count_server_instructions, vendors=options.vendors) if options.server else count_instructions
    )
    for measure in (*MEASURES, MIX) if options.server else MEASURES:
        counts = {side: count(*where, measure, options.requests) for side, where in sides.items()}
        line = f"  {measure:<24} ici {counts['ici']:>12,}".replace(",", " ")
        if "autre" in counts:
            line += f"   autre {counts['autre']:>12,}".replace(",", " ")
            line += f"   ici / autre {counts['ici'] / counts['autre']:5.3f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
