"""Benchmark of the reviewer back office: queues, instruction page, audit trail, figures.

Run: ``DATABASE_URL=postgres://…/conv_bench python bench/review.py [--products 300] [--requests 30]``.
It builds (in that database) a published 300-item questionnaire (3 sections × 100), ``--products``
products each with a validated, fully answered assessment (so 90,000 answers by default), one more
assessment in review with 300 answers changed by a bulk update (300 audit events), then times
in-process requests (Django test client, DEBUG off) and prints the median of each page, its number of
SQL queries, and its ratio to a trivial view through the same middleware stack:
- the dashboard and the list of every assessment (25 rows a page out of ``--products``);
- the instruction page of the 300-item assessment;
- its audit trail (300 events);
- the statistics page (distribution per item and section over every product) and its CSV export.

The data stays in the database (published questionnaires cannot be deleted): point it at a
benchmark database.
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

import pghistory  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import clear_url_caches, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Answer, Assessment, State  # noqa: E402
from companies.models import Company  # noqa: E402
from convergence import urls  # noqa: E402
from questionnaires.models import Item  # noqa: E402
from tests.accounts.helpers import reviewer_client  # noqa: E402
from tests.assessments.factories import AssessmentFactory, questionnaire_version  # noqa: E402
from tests.companies.factories import CompanyFactory  # noqa: E402
from tests.products.factories import ProductVersionFactory  # noqa: E402

LEVELS = ("rouge", "orange", "jaune", "vert", "vert", "na")


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def build(products: int):
    # Factory sequences restart with each run: continue after the rows earlier runs left.
    CompanyFactory.reset_sequence(Company.objects.count() + 1)
    version = questionnaire_version(items=300, per_section=100, code=f"banc-instruction-{os.getpid()}")
    items = list(Item.objects.filter(version=version).order_by("order"))
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            product_version=product_version,
            questionnaire_version=version,
            state=State.VALIDATED,
            submitted_at=now,
            validated_at=now,
            reached_profiles=["alimentation"] if index % 3 else ["alimentation", "consultation"],
        )
        for index, product_version in enumerate(ProductVersionFactory.create_batch(products))
    )
    for offset in range(0, len(assessments), 50):
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                item=item,
                level=(level := LEVELS[(row + column) % len(LEVELS)]),
                justification="Flux non géré." if level == "na" else "",
            )
            for row, assessment in enumerate(assessments[offset : offset + 50], start=offset)
            for column, item in enumerate(items)
        )
    client = reviewer_client()
    in_review = AssessmentFactory(
        in_review=True,
        reviewer=client.user,
        questionnaire_version=version,
        level="orange",
        rule_level="orange",
    )
    with pghistory.context(user=client.user.pk):
        Answer.objects.filter(assessment=in_review).update(level="jaune")
    return client, version, in_review


def measure(client, url: str, requests: int) -> tuple[float, int]:
    client.get(url)  # warm caches (questionnaire structure, templates)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    urls.urlpatterns.append(path("bench/trivial/", trivial))
    clear_url_caches()
    started = time.perf_counter()
    client, version, in_review = build(args.products)
    print(f"Données : {args.products} produits × 300 exigences en {time.perf_counter() - started:.1f} s")
    pages = {
        "vue triviale": "/bench/trivial/",
        "tableau de bord": reverse("review:dashboard:index"),
        f"liste ({args.products} évaluations)": reverse("review:assessments:list"),
        "instruction (300 exigences)": reverse("review:assessments:detail", args=[in_review.public_id]),
        "journal (300 événements)": reverse("review:assessments:trail", args=[in_review.public_id]),
        "statistiques": reverse("review:statistics:index") + f"?version={version.public_id}",
        "export CSV par exigence": reverse("review:statistics:export", args=[version.public_id, "exigences"]),
    }
    unit = None
    print(f"{'page':34} {'médiane':>10} {'requêtes':>9} {'× triviale':>11}")
    for name, url in pages.items():
        median, queries = measure(client, url, args.requests)
        unit = unit or median
        print(f"{name:34} {median:8.1f} ms {queries:9d} {median / unit:10.1f}×")


if __name__ == "__main__":
    main()
