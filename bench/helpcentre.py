"""Benchmark of the help centre's search over 1,000 answers.

Run: ``DATABASE_URL=postgres://…/conv_bench python bench/helpcentre.py [--entries 1000] [--requests 30]``.
It imports the shipped answers (``import_help_centre``), then adds ``--entries`` published answers
(slugs ``bench-…``, replaced at each run) made from the shipped texts, each filed under facet values, so the searches run over that many rows. It then prints:
- the median time of the search itself (count and first page of 20, ranked), through the selector;
- the median time and SQL queries of in-process requests (Django test client, DEBUG off) to the
  help centre (no search, a search, a search with two facet filters, an answer's page) next to a
  trivial view through the same middleware stack and the home page (the DSFR skeleton alone);
- whether PostgreSQL's plan for the search reads the GIN index of the search column.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.update(
    DJANGO_SETTINGS_MODULE="convergence.settings",
    DJANGO_DEBUG="false",
    DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(60),
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_SSL_REDIRECT="false",
    DJANGO_SECURE_HSTS_SECONDS="0",
    EMAIL_URL="smtp://127.0.0.1:25",  # production settings need a real backend; the bench sends none
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.access import public  # noqa: E402
from helpcentre.models import Entry, Facet, Tag  # noqa: E402
from helpcentre.selectors import entries_search  # noqa: E402

SEARCHES = ["securite", "profil alimentation", "attestation revoquee", "non applicable justification"]


@public
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def build(count: int) -> None:
    call_command("import_help_centre", stdout=open(os.devnull, "w"))  # noqa: SIM115
    Entry.objects.filter(slug__startswith="bench-").delete()
    shipped = list(Entry.objects.exclude(slug__startswith="bench-").order_by("pk"))
    now = timezone.now()
    entries = Entry.objects.bulk_create(
        Entry(
            slug=f"bench-{n}",
            title=f"{shipped[n % len(shipped)].title} (variante {n})",
            body=shipped[n % len(shipped)].body,
            item_codes=shipped[n % len(shipped)].item_codes,
            status=Entry.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(count)
    )
    through = Entry.tags.through
    tags = {
        entry.pk: list(entry.tags.all())
        for entry in Entry.objects.prefetch_related("tags").filter(pk__in=[e.pk for e in shipped])
    }
    through.objects.bulk_create(
        through(entry=entry, tag=tag)
        for n, entry in enumerate(entries)
        for tag in tags[shipped[n % len(shipped)].pk]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE helpcentre_entry")


def timed(function, requests: int) -> float:
    function()  # warm
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def count_queries(function) -> int:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        function()
    return len(queries)


def search_page(text: str):
    def run():
        entries = entries_search(text=text)
        return entries.count(), list(entries[:20])

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    # Production settings serve hashed static files from a manifest, built like a deployment does.
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    from convergence import urls

    urls.urlpatterns.append(path("bench/trivial/", trivial))
    clear_url_caches()
    started = time.perf_counter()
    build(args.entries)
    total = Entry.objects.filter(status=Entry.Status.PUBLISHED).count()
    print(f"Données : {total} réponses publiées en {time.perf_counter() - started:.1f} s")

    print(f"\n{'recherche (sélecteur : total + 20 premières)':48} {'médiane':>10} {'trouvées':>9}")
    for text in SEARCHES:
        found = entries_search(text=text).count()
        print(f"{text:48} {timed(search_page(text), args.requests):8.2f} ms {found:9d}")

    client = Client()
    (
        Tag.objects.filter(facet=Facet.THEME).first(),
        Tag.objects.filter(facet=Facet.OFFER).first(),
    )
    index = reverse("helpcentre:index")
    pages = {
        "vue triviale": "/bench/trivial/",
        "accueil (page DSFR sans requête)": reverse("home"),
        "centre d'aide, sans recherche": index,
        "recherche « securite »": f"{index}?q=securite",
        "recherche + 2 facettes": f"{index}?q=securite&theme=securite&offre=dmn",
        "page d'une réponse": reverse("helpcentre:entry", args=["bench-1"]),
    }
    print(f"\n{'page':34} {'médiane':>10} {'requêtes':>9} {'× triviale':>11}")
    unit = None
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        median = timed(lambda url=url: client.get(url), args.requests)
        queries = count_queries(lambda url=url: client.get(url))
        unit = unit or median
        print(f"{name:34} {median:8.1f} ms {queries:9d} {median / unit:10.1f}×")

    sql, params = entries_search(text="securite").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print("\nIndex GIN de la recherche utilisé :", "oui" if "helpcentre_entry_search" in plan else "non")


if __name__ == "__main__":
    main()
