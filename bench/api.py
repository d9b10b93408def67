"""Benchmark of the public catalogue and of the public API, over HTTP on loopback (gunicorn).

Run: ``DATABASE_URL=postgres://…/conv_bench python bench/api.py [--products 5000] [--certified 500]
[--requests 40] [--load 30] [--clients 50]``. It makes sure the database lists at least ``--products``
products (a company, product, version, validated assessment and ready attestation each,
bulk-inserted) and ``--certified`` DMN certificates of conformity (one issued through the candidature
services, the others bulk copies of it, each stating two of the five generic lines), starts
gunicorn on 127.0.0.1 (production settings: DEBUG off), then prints the median time of the trivial
Django view (``bench/trivial_wsgi.py``, the unit), the catalogue pages (first page, a search, a
profile filter, a DMN line filter, a page deep in the sorted list, a product page, the CSV export of
the whole list) and the API's catalogue (first page, search, line filter) and verification endpoints
(an attestation, a certificate of conformity), each also as a multiple of the trivial view.

With ``--load SECONDS`` (default 30; 0 to skip) it then runs ``--clients`` (default 50) concurrent
anonymous clients for that long, first on the trivial view, then on the API's catalogue (first
pages, searches), then on it filtered by a DMN line, then on the API's verification by code
(attestations and certificates of conformity); for each: requests, errors, throughput,
median and p95 latency. Aim: the catalogue and verification medians within a few times the trivial
view's of the same run.

The data it creates stays in the database: point it at a benchmark database, not a real one.
"""

import argparse
import http.client
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
# Every client comes from 127.0.0.1: the per-address rate limit would stop the load test.
os.environ.setdefault("API_ADDRESS_LIMIT", str(10**9))

from bench.questionnaire import collect_static, free_port, start_server  # noqa: E402 (sets up Django)
from catalogue.selectors import valid_attestations, valid_conformity_certificates  # noqa: E402
from certificates.codes import format_code  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from tests.catalogue.factories import bulk_attestations  # noqa: E402
from tests.certificates.snapshots import conformity_content  # noqa: E402

BATCH = 1000


class Anonymous:
    """A client with one keep-alive connection, reopened when the server closed it meanwhile."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, url: str, **headers) -> tuple[int, bytes, float]:
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request("GET", url, headers={"Host": "127.0.0.1", **headers})
                response = self.connection.getresponse()
                return response.status, response.read(), time.perf_counter() - start
            except (http.client.HTTPException, OSError) as error:
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    return 0, repr(error).encode(), time.perf_counter() - start
        raise AssertionError("unreachable")


def load_average() -> str:
    """The machine's load (1, 5, 15 min), to read the figures against."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def analyse() -> None:
    """Refresh the planner's statistics, as autovacuum does after a bulk load: without them, on a
    freshly filled database, the catalogue's queries are planned for empty tables (seconds each)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def ensure_listed(count: int) -> int:
    listed = valid_attestations().count()
    while listed < count:
        batch = min(BATCH, count - listed)
        bulk_attestations(batch)
        listed += batch
    return listed


def ensure_certified(count: int) -> int:
    """At least ``count`` certificates of conformity in force: the first issued by the real services
    (filed, completed, submitted, taken, validated), the others copies of it whose snapshot states two
    consecutive generic lines, so that a line filter keeps about two in five."""
    from tests.dmn.certify import certified
    from tests.dmn.factories import import_dmn

    listed = valid_conformity_certificates().count()
    if listed >= count:
        return listed
    if not listed:
        import_dmn()
        certified()
        listed = 1
    model = valid_conformity_certificates().order_by("pk").first()
    pool = conformity_content(lines=5)["lines"]
    Certificate.objects.bulk_create(
        (
            Certificate(
                kind=model.kind,
                status=model.status,
                company_id=model.company_id,
                assessment_id=model.assessment_id,
                procedure_ref=uuid.uuid4(),
                snapshot=model.snapshot | {"lines": sorted((pool[i % 5], pool[(i + 1) % 5]), key=pool.index)},
                snapshot_sha256=uuid.uuid4().hex * 2,
                template_version=model.template_version,
                file=model.file.name,
                rendered_at=model.rendered_at,
            )
            for i in range(count - listed)
        ),
        batch_size=BATCH,
    )
    return count


def median_ms(client: Anonymous, label: str, url: str, count: int) -> float:
    for _ in range(3):
        client.get(url)
    timings = []
    for _ in range(count):
        status, body, elapsed = client.get(url)
        if status != 200:
            raise SystemExit(f"{label} : réponse HTTP {status} : {body[:300]!r}")
        timings.append(elapsed * 1000)
    return statistics.median(timings)


def urls(codes: list[str], product_id: str, api: bool, certified_code: str) -> dict[str, str]:
    pages = {
        "vue triviale": "/bench/trivial/public/",
        "catalogue, page 1": "/catalogue/",
        "catalogue, recherche « logiciel 42 »": "/catalogue/?" + urlencode({"recherche": "logiciel 42"}),
        "catalogue, profil Alimentation": "/catalogue/?profil=alimentation",
        "catalogue, ligne Diabète": "/catalogue/?ligne=diabete",
        "catalogue trié, page 100": "/catalogue/?tri=entreprise&page=100",
        "page d'un produit": f"/catalogue/produits/{product_id}/",
        "export CSV (tout le catalogue)": "/catalogue/export.csv",
    }
    if api:
        pages |= {
            "API catalogue, 1re page": "/api/v1/catalogue",
            "API catalogue, recherche": "/api/v1/catalogue?" + urlencode({"recherche": "logiciel 42"}),
            "API catalogue, ligne Diabète": "/api/v1/catalogue?ligne=diabete",
            "API vérification d'un code": f"/api/v1/verification/{format_code(codes[0])}",
            "API vérification, conformité": f"/api/v1/verification/{format_code(certified_code)}",
        }
    return pages


def single_requests(client: Anonymous, pages: dict[str, str], count: int) -> None:
    figures = {label: median_ms(client, label, url, count) for label, url in pages.items()}
    unit = figures["vue triviale"]
    print(f"Médianes sur {count} requêtes (gunicorn, 127.0.0.1, DEBUG désactivé) :")
    for label, value in figures.items():
        print(f"  {label:<40} {value:8.2f} ms   ×{value / unit:6.1f} la vue triviale")


def load_run(port: int, clients: int, seconds: float, label: str, next_url) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(seed: int) -> None:
        rng, client = random.Random(seed), Anonymous(port)
        mine, failures = [], []
        while time.monotonic() < stop:
            status, body, elapsed = client.get(next_url(rng))
            mine.append(elapsed * 1000)
            if status != 200:
                failures.append(f"HTTP {status} {body[:120]!r}")
        with lock:
            latencies.extend(mine)
            errors.extend(failures)

    threads = [threading.Thread(target=work, args=(index,)) for index in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    print(f"Charge : {clients} clients, {label}, {seconds:.0f} s")
    print(
        f"  requêtes {len(ordered)}, erreurs {len(errors)}, débit {len(ordered) / elapsed:.0f} req/s, "
        f"latence médiane {statistics.median(ordered):.1f} ms, p95 {ordered[int(0.95 * len(ordered))]:.1f} ms"
    )
    for error in errors[:3]:
        print(f"  erreur : {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--certified", type=int, default=500, help="certificats de conformité DMN")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--load", type=float, default=30, help="durée de chaque essai de charge (0 : aucun)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--catalogue-only", action="store_true", help="sans l'API")
    options = parser.parse_args()
    collect_static()
    listed = ensure_listed(options.products)
    certified = ensure_certified(options.certified)
    analyse()
    certified_codes = list(valid_conformity_certificates().values_list("code", flat=True)[:200])
    sample = list(
        valid_attestations().values_list("code", "assessment__product_version__product__public_id")[:200]
    )
    codes = [code for code, _ in sample]
    port = free_port()
    server = start_server(port, options.workers, options.threads)
    try:
        print(
            f"gunicorn : {options.workers} processus × {options.threads} fils ; {listed} produits au "
            f"catalogue, {certified} certificats de conformité DMN ; charge moyenne {load_average()}"
        )
        pages = urls(
            codes, str(sample[0][1]), api=not options.catalogue_only, certified_code=certified_codes[0]
        )
        single_requests(Anonymous(port), pages, options.requests)
        if options.load > 0 and not options.catalogue_only:
            load_run(
                port, options.clients, options.load, "vue triviale", lambda rng: "/bench/trivial/public/"
            )
            searches = ["", "logiciel", "editeur 1", "linux"]
            load_run(
                port,
                options.clients,
                options.load,
                "API catalogue",
                lambda rng: "/api/v1/catalogue?" + urlencode({"recherche": rng.choice(searches)}),
            )
            lines = ["diabete", "renal", "respiratoire", "cardiaque", "protheses"]
            load_run(
                port,
                options.clients,
                options.load,
                "API catalogue, ligne DMN",
                lambda rng: "/api/v1/catalogue?" + urlencode({"ligne": rng.choice(lines)}),
            )
            load_run(
                port,
                options.clients,
                options.load,
                "API vérification (attestations et certificats de conformité)",
                lambda rng: (
                    f"/api/v1/verification/{format_code(rng.choice(rng.choice((codes, certified_codes))))}"
                ),
            )
        print(f"Charge moyenne de la machine à la fin : {load_average()}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
