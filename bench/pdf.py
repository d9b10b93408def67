"""PDF benchmark: ``DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/pdf.py [--runs N] [--no-worker]``.

Prints, in one run:
- the median time of our whole pipeline (snapshot → template → QR code → WeasyPrint, PDF/A-3b,
  tagged) for the attestation and for a 300-item report;
- the median time of WeasyPrint alone on the same HTML with the same PDF options, both cold (a new
  font configuration each time, as a plain ``HTML(...).write_pdf()`` does) and with the shared font
  configuration our pipeline keeps per process; and the ratios;
- unless ``--no-worker``: the time from ``certificate_request`` to ``ready`` with a warm Celery worker
  it starts itself on a private queue. That part migrates and writes to the database of
  ``DATABASE_URL``: point it at a scratch database. It removes the rows it made at the end.

Aims (issue 7): attestation ≤ 150 ms and ≤ 1.3 × WeasyPrint alone; 300-item report ≤ 1.5 s.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convergence.settings")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-pdf-"))

import django  # noqa: E402

django.setup()

from weasyprint import HTML  # noqa: E402

from certificates import rendering  # noqa: E402
from certificates.snapshot import ATTESTATION, RAPPORT  # noqa: E402
from tests.certificates.snapshots import make_snapshot  # noqa: E402

CODE = "ABCDEFGHIJKLMNOP"
AIMS = {ATTESTATION: 0.150, RAPPORT: 1.5}


def median_seconds(function, runs: int) -> float:
    """Median CPU time of this process: rendering is single-threaded, and CPU time stays meaningful
    on a machine shared with other jobs, where wall time measures the neighbours too."""
    function()  # warm-up: imports, font decoding, caches
    timings = []
    for _ in range(runs):
        started = time.process_time()
        function()
        timings.append(time.process_time() - started)
    return statistics.median(timings)


def weasyprint_alone(html: str, *, shared_fonts: bool) -> bytes:
    options = {"font_config": rendering.font_configuration()} if shared_fonts else {}
    document = HTML(string=html, base_url=rendering.FONTS_DIR.as_uri() + "/")
    return document.write_pdf(**rendering.PDF_OPTIONS, **options)


def bench_render(kind: str, runs: int) -> dict:
    snapshot = make_snapshot(kind=kind, items=300)
    html = rendering.document_html(snapshot, CODE)
    pages = len(
        __import__("pypdf").PdfReader(__import__("io").BytesIO(rendering.render_pdf(snapshot, CODE))).pages
    )
    ours = median_seconds(lambda: rendering.render_pdf(snapshot, CODE), runs)
    cold = median_seconds(lambda: weasyprint_alone(html, shared_fonts=False), runs)
    warm = median_seconds(lambda: weasyprint_alone(html, shared_fonts=True), runs)
    return {"kind": kind, "pages": pages, "ours": ours, "cold": cold, "warm": warm}


def print_render(result: dict) -> None:
    aim = AIMS[result["kind"]]
    print(
        f"{result['kind']:<12} {result['pages']:>3} p.  pipeline {result['ours'] * 1000:7.0f} ms"
        f" (objectif ≤ {aim * 1000:.0f} ms : {'atteint' if result['ours'] <= aim else 'MANQUÉ'})"
        f" | WeasyPrint seul {result['cold'] * 1000:7.0f} ms (polices décodées à chaque fois),"
        f" {result['warm'] * 1000:7.0f} ms (polices partagées)"
        f" | ratio {result['ours'] / result['cold']:.2f} / {result['ours'] / result['warm']:.2f}"
    )


# --- Request → ready with a warm worker ------------------------------------------------------------
def start_worker(queue: str) -> subprocess.Popen:
    from convergence.celery import app

    command = [sys.executable, "-m", "celery", "-A", "convergence", "worker", "--loglevel", "WARNING"]
    command += ["--concurrency", "1", "--pool", "prefork", "--without-gossip", "--without-mingle"]
    command += ["--without-heartbeat", "--queues", queue, "--hostname", f"{queue}@bench"]
    environment = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue}
    worker = subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5, destination=[f"celery@{queue}@bench"]) or app.control.ping(
            timeout=0.5, destination=[f"{queue}@bench"]
        ):
            return worker
    worker.terminate()
    raise SystemExit("Le worker Celery ne répond pas.")


def wait_ready(certificate, timeout: float = 60) -> float:
    from certificates.models import Certificate

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Certificate.objects.filter(pk=certificate.pk).values_list("status", flat=True).get()
        if status != Certificate.Status.PENDING:
            return time.monotonic()
        time.sleep(0.005)
    raise SystemExit("Document toujours en attente : le worker ne le traite pas.")


def bench_request_to_ready(runs: int) -> float:
    from django.core.management import call_command

    from certificates import services
    from convergence.celery import app

    call_command("migrate", verbosity=0)
    queue = f"bench-pdf-{os.getpid()}"
    app.conf.task_default_queue = queue
    made = BenchData()
    worker = start_worker(queue)
    try:
        timings = []
        for index in range(runs + 1):
            assessment = made.validated_assessment()
            started = time.monotonic()
            certificate = services.certificate_request(assessment=assessment, kind=ATTESTATION, actor=None)
            finished = wait_ready(certificate)
            if index:  # the first one warms the worker up
                timings.append(finished - started)
        return statistics.median(timings)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        made.remove()


class BenchData:
    """A company, a product version and a 300-item questionnaire (left in draft so it can be removed)."""

    def __init__(self):
        from questionnaires.models import QuestionnaireVersion
        from tests.certificates.factories import (
            AssessmentFactory,
            ProductVersionFactory,
            answer_all,
            questionnaire_with_items,
        )

        self.answer_all, self.factory = answer_all, AssessmentFactory
        self.version = ProductVersionFactory(
            product__company__name="Banc d'essai PDF", product__name=f"Banc {os.getpid()}"
        )
        self.questionnaire = questionnaire_with_items(items=300, sections=8)
        QuestionnaireVersion.objects.filter(pk=self.questionnaire.pk).update(
            status="draft", published_at=None
        )
        self.assessments = []

    def validated_assessment(self):
        assessment = self.factory(
            product_version=self.version, questionnaire_version=self.questionnaire, validated=True
        )
        self.answer_all(assessment)
        self.assessments.append(assessment)
        return assessment

    def remove(self):
        from assessments.models import Answer, Assessment
        from certificates.models import Certificate, CertificateEvent

        certificates = Certificate.objects.filter(assessment__in=self.assessments)
        for certificate in certificates:
            certificate.file.delete(save=False)
        CertificateEvent.objects.filter(certificate__in=certificates).delete()
        certificates.delete()
        Answer.objects.filter(assessment__in=self.assessments).delete()
        Assessment.objects.filter(pk__in=[a.pk for a in self.assessments]).delete()
        product, company = self.version.product, self.version.product.company
        self.version.delete()
        product.delete()
        company.delete()
        questionnaire = self.questionnaire.questionnaire
        self.questionnaire.delete()
        questionnaire.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-worker", action="store_true")
    arguments = parser.parse_args()
    print(
        f"Rendu PDF (PDF/A-3b, balisé), temps CPU médian ; ratio = pipeline / WeasyPrint seul ; charge {os.getloadavg()[0]:.1f}"
    )
    for kind, runs in ((ATTESTATION, arguments.runs), (RAPPORT, max(3, arguments.runs // 3))):
        print_render(bench_render(kind, runs))
    if not arguments.no_worker:
        median = bench_request_to_ready(max(3, arguments.runs // 3))
        print(f"demande → prêt (attestation, worker chaud) : médiane {median * 1000:.0f} ms")


if __name__ == "__main__":
    main()
