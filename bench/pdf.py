"""PDF benchmark: ``DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/pdf.py [--runs N] [--no-worker]``.

Prints, in one run:
- the median time of our whole pipeline (snapshot → template → QR code → WeasyPrint, PDF/A-3b,
  tagged) for the attestation, for a 300-item report and for a DMN certificate of conformity
  covering the five generic lines;
- the median time of WeasyPrint alone on the same HTML with the same PDF options, both cold (a new
  font configuration each time, as a plain ``HTML(...).write_pdf()`` does) and with the shared font
  configuration our pipeline keeps per process; and the ratios;
- unless ``--no-worker``: the time from ``certificate_request`` (attestation) and from
  ``certificate_certify`` (certificate of conformity) to ``ready`` with a warm Celery worker it
  starts itself on a private queue. That part migrates and writes to the database of
  ``DATABASE_URL`` (a company « Banc d'essai PDF », a questionnaire ``banc-pdf-<pid>``, a few
  assessments and attestations, left there): point it at a scratch database.

Aims (issue 7): attestation ≤ 150 ms and ≤ 1.3 × WeasyPrint alone; 300-item report ≤ 1.5 s; the
certificate of conformity (issue 16), a one-page document like the attestation: ≤ 150 ms.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convergence.settings")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-pdf-"))

import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from certificates import rendering  # noqa: E402
from certificates.snapshot import ATTESTATION, CONFORMITE, RAPPORT, conformity_snapshot  # noqa: E402
from tests.certificates.snapshots import conformity_content, make_snapshot  # noqa: E402

CODE = "ABCDEFGHIJKLMNOP"
AIMS = {ATTESTATION: 0.150, RAPPORT: 1.5, CONFORMITE: 0.150}


def timed(function) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) of one call. Rendering is single-threaded: CPU time
    stays meaningful on a machine shared with other jobs, where wall time also measures them."""
    cpu, wall = time.process_time(), time.perf_counter()
    function()
    return time.process_time() - cpu, time.perf_counter() - wall


def weasyprint_alone(html: str, *, shared_fonts: bool) -> bytes:
    options = {"font_config": rendering.font_configuration()} if shared_fonts else {}
    document = HTML(string=html, base_url=rendering.FONTS_DIR.as_uri() + "/")
    return document.write_pdf(**rendering.PDF_OPTIONS, **options)


def bench_render(kind: str, runs: int) -> dict:
    """Medians of the three renders, interleaved round by round so that load changes hit them alike."""
    if kind == CONFORMITE:
        snapshot = conformity_snapshot(**conformity_content(lines=5))
    else:
        snapshot = make_snapshot(kind=kind, items=300)
    html = rendering.document_html(snapshot, CODE)
    contenders = {
        "ours": lambda: rendering.render_pdf(snapshot, CODE),
        "cold": lambda: weasyprint_alone(html, shared_fonts=False),
        "warm": lambda: weasyprint_alone(html, shared_fonts=True),
    }
    for function in contenders.values():
        function()  # warm-up: imports, font decoding, caches
    samples = {name: [] for name in contenders}
    for _ in range(runs):
        for name, function in contenders.items():
            samples[name].append(timed(function))
    result = {"kind": kind, "pages": len(PdfReader(io.BytesIO(contenders["ours"]())).pages)}
    for name, timings in samples.items():
        result[name] = statistics.median(cpu for cpu, _ in timings)
        result[f"{name}_wall"] = statistics.median(wall for _, wall in timings)
    return result


def print_render(result: dict) -> None:
    aim = AIMS[result["kind"]]
    print(
        f"{result['kind']:<12} {result['pages']:>3} p.  pipeline {result['ours'] * 1000:5.0f} ms"
        f" (mur {result['ours_wall'] * 1000:.0f} ms ; objectif ≤ {aim * 1000:.0f} ms :"
        f" {'atteint' if result['ours'] <= aim else 'MANQUÉ'})"
        f" | WeasyPrint seul {result['warm'] * 1000:5.0f} ms avec les polices partagées,"
        f" {result['cold'] * 1000:5.0f} ms en les décodant à chaque fois"
        f" | ratio {result['ours'] / result['warm']:.2f} (objectif ≤ 1,30 pour l'attestation)"
        f" / {result['ours'] / result['cold']:.2f}"
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


def bench_request_to_ready(runs: int) -> dict[str, float]:
    from django.core.management import call_command

    from certificates import services
    from convergence.celery import app

    call_command("migrate", verbosity=0)
    queue = f"bench-pdf-{os.getpid()}"
    app.conf.task_default_queue = queue
    made = BenchData()
    worker = start_worker(queue)
    try:
        issue = {
            ATTESTATION: lambda assessment: services.certificate_request(
                assessment=assessment, kind=ATTESTATION, actor=None
            ),
            CONFORMITE: lambda assessment: services.certificate_certify(
                assessments=[assessment],
                procedure_ref=uuid.uuid4(),
                content=conformity_content(lines=5),
                actor=None,
            ),
        }
        timings = {kind: [] for kind in issue}
        for index in range(runs + 1):
            for kind, request in issue.items():
                assessment = made.validated_assessment()
                started = time.monotonic()
                finished = wait_ready(request(assessment))
                if index:  # the first round warms the worker up
                    timings[kind].append(finished - started)
        return {kind: statistics.median(values) for kind, values in timings.items()}
    finally:
        worker.terminate()
        worker.wait(timeout=30)


class BenchData:
    """A company, a product version and a 300-item questionnaire, named after this process so that
    runs never collide; left in the scratch database afterwards."""

    def __init__(self):
        from tests.assessments.factories import AssessmentFactory, questionnaire_version
        from tests.companies.factories import siren_with_luhn
        from tests.products.factories import ProductVersionFactory

        self.factory, self.assessments = AssessmentFactory, []
        self.version = ProductVersionFactory(
            product__company__name="Banc d'essai PDF",
            product__company__siren=siren_with_luhn(f"{99_000_000 + os.getpid() % 1_000_000:08d}"),
            product__name=f"Banc {os.getpid()}",
        )
        self.questionnaire = questionnaire_version(items=300, sections=8, code=f"banc-pdf-{os.getpid()}")

    def validated_assessment(self):
        # Answered (a mix of levels, N/A and comments), submitted and validated through the services.
        assessment = self.factory(
            product_version=self.version, questionnaire_version=self.questionnaire, validated=True, mixed=True
        )
        self.assessments.append(assessment)
        return assessment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-worker", action="store_true")
    arguments = parser.parse_args()
    print(
        "Rendu PDF (PDF/A-3b, balisé) : temps CPU médian (et temps mur) ; ratio = pipeline / WeasyPrint seul ;"
        f" charge de la machine {os.getloadavg()[0]:.1f}"
    )
    for kind, runs in (
        (ATTESTATION, arguments.runs),
        (RAPPORT, max(3, arguments.runs // 3)),
        (CONFORMITE, arguments.runs),
    ):
        print_render(bench_render(kind, runs))
    if not arguments.no_worker:
        for kind, median in bench_request_to_ready(max(3, arguments.runs // 3)).items():
            print(f"demande → prêt ({kind}, worker chaud) : médiane {median * 1000:.0f} ms")


if __name__ == "__main__":
    main()
