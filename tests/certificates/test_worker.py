"""Nothing lost: the real Celery worker renders, survives redelivery, a SIGKILL and a broker outage.

These tests share one worker per test process and restart it with other settings, so they run in one
xdist group.
"""

import io
import subprocess
import time

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from certificates import services
from certificates.models import Certificate
from certificates.selectors import HistoryAction, certificate_history
from certificates.snapshot import RAPPORT
from certificates.tasks import certificate_render
from convergence.celery import app
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot, make_snapshot

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("certificates-worker")]
DEAD_BROKER = "redis://127.0.0.1:1/0"


def wait_for(predicate, *, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.2)
    raise AssertionError(message)


def wait_ready(certificate, timeout=90) -> Certificate:
    def ready():
        current = Certificate.objects.get(pk=certificate.pk)
        return current if current.status == Certificate.Status.READY else None

    return wait_for(ready, timeout=timeout, message=f"document toujours en attente après {timeout} s")


def rendered_events(certificate) -> int:
    return [e.action for e in certificate_history(certificate=certificate)].count(HistoryAction.RENDERED)


def test_requested_attestation_is_rendered_by_the_worker(celery_worker):
    assessment = AssessmentFactory(validated=True, mixed=True, items=30)
    certificate = services.certificate_request(assessment=assessment, kind="attestation", actor=None)
    certificate = wait_ready(certificate)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(certificate.file.read())).pages)
    assert assessment.product_version.product.display_name in text
    # The code is random and letter-spaced: pypdf may read a pair of its letters as two words.
    assert certificate.display_code in "".join(text.split())


def test_redelivered_task_renders_once(celery_worker):
    certificate = certificate_from_snapshot()
    first = certificate_render.delay(certificate.pk)
    second = certificate_render.delay(certificate.pk)  # what a redelivery looks like to the worker
    first.get(timeout=90)
    second.get(timeout=90)
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.status == Certificate.Status.READY
    assert certificate.attempts == 1
    assert rendered_events(certificate) == 1


def start_long_render():
    """A long report whose render has begun on the worker (long enough to be killed in the middle)."""
    certificate = certificate_from_snapshot(snapshot=make_snapshot(kind=RAPPORT, items=1500, draft=True))
    certificate_render.delay(certificate.pk)
    wait_for(
        lambda: Certificate.objects.get(pk=certificate.pk).attempts >= 1,
        timeout=60,
        message="le rendu n'a pas commencé",
    )
    time.sleep(0.5)
    return certificate


def test_worker_killed_mid_render_completes_when_a_worker_comes_back(celery_worker):
    certificate = start_long_render()
    celery_worker.kill()
    killed = Certificate.objects.get(pk=certificate.pk)
    assert killed.status == Certificate.Status.PENDING, "le rendu s'est terminé avant l'arrêt brutal"

    # The unacknowledged message comes back once its visibility timeout has passed.
    previous = celery_worker.environment.get("CELERY_VISIBILITY_TIMEOUT")
    celery_worker.environment["CELERY_VISIBILITY_TIMEOUT"] = "1"
    try:
        celery_worker.start()
        certificate = wait_ready(certificate, timeout=180)
    finally:
        if previous is None:
            celery_worker.environment.pop("CELERY_VISIBILITY_TIMEOUT")
        else:
            celery_worker.environment["CELERY_VISIBILITY_TIMEOUT"] = previous
        celery_worker.stop()  # the next test starts one with the normal settings
    assert certificate.attempts == 2
    assert rendered_events(certificate) == 1


def test_pool_process_killed_mid_render_is_requeued_at_once(celery_worker):
    # Only the pool process dies (out of memory, say): the worker rejects the message back to the queue.
    certificate = start_long_render()
    subprocess.run(["pkill", "-KILL", "-P", str(celery_worker.process.pid)], check=True)
    certificate = wait_ready(certificate, timeout=180)
    assert certificate.attempts == 2
    assert rendered_events(certificate) == 1


def test_broker_down_leaves_the_document_pending_until_requeued(celery_worker, monkeypatch):
    assessment = AssessmentFactory(validated=True, mixed=True, items=10)
    monkeypatch.setattr(app.conf, "broker_url", DEAD_BROKER)
    certificate = services.certificate_request(assessment=assessment, kind="attestation", actor=None)
    time.sleep(2)
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.PENDING

    monkeypatch.undo()
    stdout = io.StringIO()
    call_command("requeue_pending_certificates", "--older-than", "0", stdout=stdout)
    assert stdout.getvalue().startswith("1 document(s)")
    certificate = wait_ready(certificate)
    history = certificate_history(certificate=certificate)
    assert [entry.action for entry in history] == ["requested", "requeued", "rendered"]


def test_a_test_ends_only_once_the_worker_is_idle(celery_worker):
    # What the fixture does before the flush that ends the test: a render under way and the renders
    # still queued behind it are waited for (they would write while the tables are truncated).
    under_way = start_long_render()
    queued = [certificate_from_snapshot() for _ in range(2)]
    for certificate in queued:
        certificate_render.delay(certificate.pk)
    celery_worker.wait_idle(timeout=180)
    assert celery_worker.process.poll() is None, "le worker a été arrêté au lieu d'être attendu"
    statuses = Certificate.objects.filter(pk__in=[under_way.pk, *(c.pk for c in queued)]).values_list(
        "status", flat=True
    )
    assert list(statuses) == [Certificate.Status.READY] * 3
