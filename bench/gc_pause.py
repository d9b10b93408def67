"""The garbage collector's pauses in a gunicorn worker, with and without ``gunicorn.conf.py``.

Run: ``DATABASE_URL=postgres://…/conv_bench python bench/gc_pause.py [--requests 1500]``. It builds
the data of ``bench/questionnaire.py`` (a 300-item questionnaire, one vendor), then, for each of two
servers in turn (one worker, one thread, production settings): gunicorn reading the repository's
``gunicorn.conf.py`` (the worker freezes what the application loaded: ``gc.freeze()``), then gunicorn
given an empty configuration instead; it sends ``--requests`` section pages (40 items) in sequence
and prints the median, p99 and slowest times and how many took more than 3 times the median. A full
collection scanning the whole heap stops the worker for its duration: it shows as the slowest
requests, not in the median. The data stays in the database: point it at a benchmark database.
"""

import argparse
import signal
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import questionnaire as bq  # sets up Django with the benchmark's settings


def run(vendor_data: dict, count: int, *options: str) -> list[float]:
    port = bq.free_port()
    server = bq.start_server(port, 1, 1, *options)
    try:
        client = bq.Client(port, vendor_data)
        timings = []
        for index in range(count + 20):
            status, body, elapsed = client.request("GET", vendor_data["section"])
            if status != 200:
                raise SystemExit(f"section : réponse HTTP {status} : {body[:300]!r}")
            if index >= 20:  # the first pages fill the worker's memos
                timings.append(elapsed * 1000)
        return timings
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def report(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    median = statistics.median(ordered)
    slow = sum(1 for value in ordered if value > 3 * median)
    print(
        f"  {label:<34} médiane {median:6.2f} ms, p99 {ordered[int(0.99 * len(ordered))]:7.2f} ms, "
        f"max {ordered[-1]:7.2f} ms, {slow} requêtes > 3 × la médiane"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500)
    options = parser.parse_args()
    bq.collect_static()
    version = bq.questionnaire_version(
        items=bq.ITEMS, per_section=bq.PER_SECTION, code=f"gc-{bq.secrets.token_hex(4)}"
    )
    vendor = bq.Vendor(0, version)
    print(f"{options.requests} pages de section (40 exigences) à la suite, gunicorn 1 processus × 1 fil :")
    with tempfile.NamedTemporaryFile("w", suffix=".py") as empty:
        report("gunicorn.conf.py (gc.freeze)", run(vendor.data, options.requests))
        report("configuration vide", run(vendor.data, options.requests, "--config", empty.name))


if __name__ == "__main__":
    main()
