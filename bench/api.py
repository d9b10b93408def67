"""Benchmark of the public catalogue and of the public API, over HTTP on loopback (gunicorn).

Run: ``DATABASE_URL=postgres://…/conv_bench python bench/api.py [--products 5000] [--requests 40]
[--load 30] [--clients 50]``. It makes sure the database lists at least ``--products`` products
(a company, product, version, validated assessment and ready attestation each, bulk-inserted), starts
gunicorn on 127.0.0.1 (production settings: DEBUG off), then prints the median time of the trivial
Django view (``bench/trivial_wsgi.py``, the unit), the catalogue pages (first page, a search, a
profile filter, a page deep in the sorted list, a product page, the CSV export of the whole list)
and the API's catalogue and verification endpoints, each also as a multiple of the trivial view.

With ``--load SECONDS`` (default 30; 0 to skip) it then runs ``--clients`` (default 50) concurrent
anonymous clients for that long, first on the trivial view, then on the API's catalogue (first
pages, searches), then on the API's verification by code; for each: requests, errors, throughput,
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
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
# Every client comes from 127.0.0.1: the per-address rate limit would stop the load test.
os.environ.setdefault("API_ADDRESS_LIMIT", str(10**9))

from bench.questionnaire import collect_static, free_port, start_server  # noqa: E402 (sets up Django)
from catalogue.selectors import valid_attestations  # noqa: E402
from certificates.codes import format_code  # noqa: E402
from tests.catalogue.factories import bulk_attestations  # noqa: E402

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


def ensure_listed(count: int) -> int:
    listed = valid_attestations().count()
    while listed < count:
        batch = min(BATCH, count - listed)
        bulk_attestations(batch)
        listed += batch
    return listed


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


def urls(codes: list[str], product_id: str, api: bool) -> dict[str, str]:
    pages = {
        "vue triviale": "/bench/trivial/public/",
        "catalogue, page 1": "/catalogue/",
        "catalogue, recherche « logiciel 42 »": "/catalogue/?" + urlencode({"recherche": "logiciel 42"}),
        "catalogue, profil Alimentation": "/catalogue/?profil=alimentation",
        "catalogue trié, page 100": "/catalogue/?tri=entreprise&page=100",
        "page d'un produit": f"/catalogue/produits/{product_id}/",
        "export CSV (tout le catalogue)": "/catalogue/export.csv",
    }
    if api:
        pages |= {
            "API catalogue, 1re page": "/api/v1/catalogue",
            "API catalogue, recherche": "/api/v1/catalogue?" + urlencode({"recherche": "logiciel 42"}),
            "API vérification d'un code": f"/api/v1/verification/{format_code(codes[0])}",
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
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--load", type=float, default=30, help="durée de chaque essai de charge (0 : aucun)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--catalogue-only", action="store_true", help="sans l'API")
    options = parser.parse_args()
    collect_static()
    listed = ensure_listed(options.products)
    sample = list(
        valid_attestations().values_list("code", "assessment__product_version__product__public_id")[:200]
    )
    codes = [code for code, _ in sample]
    port = free_port()
    server = start_server(port, options.workers, options.threads)
    try:
        print(
            f"gunicorn : {options.workers} processus × {options.threads} fils ; {listed} produits au catalogue"
        )
        pages = urls(codes, str(sample[0][1]), api=not options.catalogue_only)
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
            load_run(
                port,
                options.clients,
                options.load,
                "API vérification",
                lambda rng: f"/api/v1/verification/{format_code(rng.choice(codes))}",
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
