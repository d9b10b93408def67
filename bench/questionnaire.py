"""Benchmark of the questionnaire pages and of an answer save, over HTTP on loopback (gunicorn).

Run: ``DATABASE_URL=postgres://…/conv_bench python bench/questionnaire.py [--requests 60] [--load 60]``.
It builds (in that database) a published 300-item questionnaire in 8 sections (7 × 40 + 20), a
company with an answered assessment, starts gunicorn on 127.0.0.1 (production settings: DEBUG off),
then prints the median time of:
- a trivial Django view (``bench/trivial_wsgi.py``, same middleware stack): the unit;
- a section page (40 items), the full read-only view (300 items), an answer save (htmx, on an item the
  profile rules read, so the profile recomputation is included);
each also divided by the trivial view's median. Aims, as ratios to the trivial view of the same run:
section ≤ ×4.0, full view ≤ ×10, answer save ≤ ×3.0.

With ``--load SECONDS`` (default 60; 0 to skip) it then runs the load test, first on the trivial view
(the unit of throughput), then: ``--vendors`` (default 50)
concurrent vendors, each logged in to its own company and assessment, saving answers in a loop
(random item, a level other than the one it holds: the page posts a level only when its radio
changes; revision tracked) for that long; it reports requests, errors
(anything but a 200 "Enregistré"), throughput, median, p95 and p99 latency, and the saves' throughput
as a fraction of the trivial view's (aim ≥ 50 %).

With ``--serve`` it only prepares ``--vendors`` vendors, starts gunicorn and writes what a client
needs (port, cookies, addresses, revisions) as one JSON line, until its standard input ends:
``bench/compare.py`` runs the same measures on two checkouts at once, alternating their requests.

The data it creates stays in the database (published questionnaires cannot be deleted): point it at
a benchmark database, not a real one.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "convergence.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "EMAIL_URL": "smtp://127.0.0.1:25",  # production settings need a real backend; the bench sends none
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client as TestClient  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.models import Answer  # noqa: E402
from assessments.selectors import applicable_items  # noqa: E402
from companies.models import Role  # noqa: E402
from tests.accounts.helpers import accept_current_terms  # noqa: E402
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill, questionnaire_version  # noqa: E402
from tests.companies.factories import CompanyFactory, MembershipFactory, siren_with_luhn  # noqa: E402
from tests.products.factories import ProductFactory, ProductVersionFactory  # noqa: E402

ITEMS, PER_SECTION = 300, 40
SAVED = b"Enregistr"
SCALE = ("rouge", "orange", "jaune", "vert")  # the benchmark questionnaire's levels
REVISION = re.compile(rb'name="revision" value="(\d+)"')


class Client:
    """A logged-in member's side of the conversation: its cookies, its pages' addresses and the
    revision of each answer, over one keep-alive connection. Built from plain data (``data``), so
    that ``bench/compare.py`` can talk to a server another checkout started (``--serve``)."""

    timeout = 30  # seconds; bench/instructions.py --server waits longer for a server under valgrind

    def __init__(self, port: int, data: dict):
        self.port, self.data = port, data
        self.items, self.revisions, self.save_urls = data["items"], data["revisions"], data["save_urls"]
        self.levels = dict(data["levels"])  # the level each answer holds, as this client last saved it
        self.csrf = data["csrf"]
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)

    def headers(self, **extra) -> dict:
        cookie = f"{self.data['cookie']}; {self.data['csrf_cookie']}={self.csrf}"
        return {"Cookie": cookie, "Host": "127.0.0.1", **extra}

    def request(self, method: str, url: str, body: str | None = None, **headers) -> tuple[int, bytes, float]:
        """One request; a keep-alive connection the server closed meanwhile is reopened and the
        request sent once more, as browsers do (safe for saves: same values, same revision)."""
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request(method, url, body=body, headers=self.headers(**headers))
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.HTTPException, OSError) as error:
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                self.last_error = repr(error)
                if attempt == 2 or not isinstance(error, http.client.RemoteDisconnected | ConnectionError):
                    return 0, self.last_error.encode(), time.perf_counter() - start
                continue
            return response.status, content, time.perf_counter() - start
        raise AssertionError("unreachable")

    def save(self, code: str, level: str) -> tuple[int, bytes, float]:
        url = self.save_urls[code]
        body = urlencode(
            {"level": level, "revision": self.revisions[code], "justification": "", "comment": ""}
        )
        result = self.request(
            "POST",
            url,
            body,
            **{
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": self.csrf,
                "HX-Request": "true",
                "Referer": "http://127.0.0.1/",
            },
        )
        if result[0] == 200 and (match := REVISION.search(result[1])):
            self.revisions[code] = int(match.group(1))  # unchanged values keep their revision
            self.levels[code] = level
        return result

    def other_level(self, rng: random.Random, code: str) -> str:
        """A level of the scale other than the one the answer holds: what a click on a radio posts."""
        return rng.choice([level for level in SCALE if level != self.levels.get(code)])


class Vendor(Client):
    """A member with its own company and answered assessment, created in the database, then logged in."""

    def __init__(self, port: int, version):
        siren = siren_with_luhn(f"{random.randrange(10**7, 10**8)}")
        email = f"bench-{secrets.token_hex(6)}@exemple.test"
        membership = MembershipFactory(
            role=Role.MANDATAIRE, company=CompanyFactory(siren=siren), user__email=email
        )
        accept_current_terms(membership.user)
        product_version = ProductVersionFactory(product=ProductFactory(company=membership.company))
        assessment = AssessmentFactory(
            product_version=product_version, questionnaire_version=version, qualification=QUALIFIED
        )
        fill(assessment, actor=membership.user)
        client = TestClient()
        client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
        public_id = assessment.public_id
        answers = Answer.objects.filter(assessment=assessment)
        revisions = dict(answers.values_list("item__code", "revision"))
        data = {
            "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf": secrets.token_hex(16),  # any 32-character token: the cookie and the header agree
            "items": [item["code"] for item in applicable_items(assessment)],
            "revisions": revisions,
            "levels": dict(answers.values_list("item__code", "level")),
            # Reversed once: the load measures the server, not the client's URL building.
            "save_urls": {
                code: reverse("portal:assessments:answer_save", args=[public_id, code]) for code in revisions
            },
            "section": reverse("portal:assessments:section", args=[public_id, 1]),
            "full": reverse("portal:assessments:full", args=[public_id]),
        }
        super().__init__(port, data)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    """The benchmark's server: gunicorn serving the project plus the trivial view on 127.0.0.1."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.trivial_wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    command += ["--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread"]
    return [*command, "--log-level", "warning", "--keep-alive", "30", "--backlog", "512"]


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def start_server(port: int, workers: int, threads: int, *options: str) -> subprocess.Popen:
    """gunicorn (``gunicorn_command``, plus ``options``), once it accepts connections."""
    server = subprocess.Popen(
        [*gunicorn_command(port, workers, threads), *options], cwd=BASE_DIR, env={**os.environ, **SERVER_ENV}
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if listening(port):
            return server
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn ne démarre pas")


def median_ms(vendor: Client, label: str, count: int, call) -> float:
    for _ in range(5):  # warm every worker's per-process memo and the connection
        call()
    timings = []
    for _ in range(count):
        status, body, elapsed = call()
        if status != 200:
            raise SystemExit(f"{label} : réponse HTTP {status} : {body[:300]!r}")
        timings.append(elapsed * 1000)
    return statistics.median(timings)


def measures(vendor: Client) -> dict:
    """The four requests measured, by name: each a call returning (status, body, seconds). The save
    alternates two levels on an item the profile rules read (the profiles are recomputed)."""
    levels = itertools.cycle(["vert", "jaune"])
    return {
        "vue triviale": lambda: vendor.request("GET", "/bench/trivial/"),
        "section": lambda: vendor.request("GET", vendor.data["section"]),
        "vue complète": lambda: vendor.request("GET", vendor.data["full"]),
        "enregistrement": lambda: vendor.save("A08.3.1", next(levels)),
    }


def single_requests(vendor: Client, count: int) -> None:
    rows = vendor.request("GET", vendor.data["section"])[1].count(b'class="cv-item"')
    labels = {
        "vue triviale": "vue triviale",
        "section": f"section ({rows} exigences)",
        "vue complète": "vue complète (300 exigences)",
        "enregistrement": "enregistrement d'une réponse",
    }
    figures = {labels[name]: median_ms(vendor, name, count, call) for name, call in measures(vendor).items()}
    unit = figures["vue triviale"]
    print(f"Médianes sur {count} requêtes (gunicorn, 127.0.0.1, DEBUG désactivé) :")
    for label, value in figures.items():
        print(f"  {label:<32} {value:8.2f} ms   ×{value / unit:6.1f} la vue triviale")


def load_run(vendors: list[Client], seconds: float, *, trivial: bool = False) -> float:
    """Every vendor saves answers in a loop for ``seconds`` (with ``trivial``: asks for the trivial
    view instead, the same load's unit); prints the figures and returns the throughput (req/s)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(vendor: Client, seed: int) -> None:
        rng = random.Random(seed)
        mine, failures = [], []
        while time.monotonic() < stop:
            if trivial:
                status, body, elapsed = vendor.request("GET", "/bench/trivial/")
            else:
                code = rng.choice(vendor.items)
                status, body, elapsed = vendor.save(code, vendor.other_level(rng, code))
            mine.append(elapsed * 1000)
            if status != 200 or (not trivial and SAVED not in body):
                failures.append(f"HTTP {status} {body[:120]!r}")
        with lock:
            latencies.extend(mine)
            errors.extend(failures)

    threads = [threading.Thread(target=work, args=(vendor, index)) for index, vendor in enumerate(vendors)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    what = "demandant la vue triviale" if trivial else "enregistrant des réponses"
    throughput = len(ordered) / elapsed
    print(f"Charge : {len(vendors)} éditeurs {what} pendant {seconds:.0f} s")
    print(f"  requêtes {len(ordered)}, erreurs {len(errors)}, débit {throughput:.0f} req/s")
    print(
        f"  latence médiane {statistics.median(ordered):.1f} ms, p95 {ordered[int(0.95 * len(ordered))]:.1f} ms, "
        f"p99 {ordered[int(0.99 * len(ordered))]:.1f} ms, max {ordered[-1]:.1f} ms"
    )
    for error in errors[:5]:
        print(f"  erreur : {error}")
    return throughput


def settle() -> None:
    """Vacuum and analyze the database, as PostgreSQL's autovacuum would after the writes that built
    the data: every answer is written twice (created, then filled), and its first version is dead.

    Autovacuum runs on a production server (the default, ``docker-compose.yml``'s PostgreSQL
    included); the PostgreSQL of the CI machines runs with ``autovacuum = off``. There, without this,
    the pages and saves measured would read tables holding a dead version of every answer, planned
    with no statistics at all: a state a production database leaves within a minute."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def collect_static() -> None:
    """Production settings serve hashed static files from a manifest, built like a deployment does."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--load", type=float, default=60, help="durée de l'essai de charge en secondes (0 : aucun)"
    )
    parser.add_argument("--vendors", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--serve",
        action="store_true",
        help="prépare --vendors éditeurs, démarre gunicorn, écrit leurs données en JSON puis attend "
        "la fin de l'entrée standard (pour bench/compare.py)",
    )
    options = parser.parse_args()
    collect_static()
    port = free_port()
    version = questionnaire_version(
        items=ITEMS, per_section=PER_SECTION, code=f"bench-{secrets.token_hex(4)}"
    )
    first = Vendor(port, version)
    if options.serve:
        vendors = [first] + [Vendor(port, version) for _ in range(options.vendors - 1)]
    settle()
    server = start_server(port, options.workers, options.threads)
    try:
        if options.serve:
            print(json.dumps({"port": port, "vendors": [vendor.data for vendor in vendors]}), flush=True)
            sys.stdin.read()
            return
        print(
            f"gunicorn : {options.workers} processus × {options.threads} fils ; questionnaire de {ITEMS} exigences"
        )
        single_requests(first, options.requests)
        if options.load > 0:
            vendors = [first] + [Vendor(port, version) for _ in range(options.vendors - 1)]
            settle()
            unit = load_run(vendors, options.load, trivial=True)
            saves = load_run(vendors, options.load)
            print(
                f"Débit des enregistrements : {saves / unit:.0%} de celui de la vue triviale (objectif ≥ 50 %)"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
