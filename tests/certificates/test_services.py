import hashlib
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import Answer
from certificates import rendering, services, tasks
from certificates.codes import CODE_PATTERN
from certificates.models import Certificate
from certificates.selectors import HistoryAction, certificate_history
from certificates.snapshot import RAPPORT
from convergence.celery import app
from tests.accounts.factories import UserFactory
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot, make_snapshot

pytestmark = pytest.mark.django_db
Action = HistoryAction
DEAD_BROKER = "redis://127.0.0.1:1/0"


def actions(certificate) -> list[str]:
    """What the certificate's history says happened after its request, in order."""
    history = [entry.action for entry in certificate_history(certificate=certificate)]
    assert history[0] == Action.REQUESTED
    return history[1:]


def test_request_freezes_a_pending_certificate_and_enqueues_on_commit(django_capture_on_commit_callbacks):
    assessment, actor = AssessmentFactory(validated=True, mixed=True), UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        certificate = services.certificate_request(assessment=assessment, kind="attestation", actor=actor)
    assert certificate.status == Certificate.Status.PENDING
    assert certificate.company == assessment.product_version.product.company
    assert certificate.snapshot["product"]["display_name"] == assessment.product_version.product.display_name
    assert certificate.template_version == rendering.TEMPLATE_VERSION
    assert CODE_PATTERN.match(certificate.code)
    assert actions(certificate) == []
    assert [(e.action, e.actor) for e in certificate_history(certificate=certificate)] == [
        (Action.REQUESTED, str(actor))
    ]
    assert len(callbacks) == 1


def test_codes_are_unique_and_random():
    codes = {certificate_from_snapshot(snapshot=make_snapshot(seed=seed)).code for seed in range(20)}
    assert len(codes) == 20


def test_same_data_returns_the_existing_document(django_capture_on_commit_callbacks):
    assessment, actor = AssessmentFactory(validated=True, mixed=True), UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=actor)
        again = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=actor)
    assert again == first
    assert len(callbacks) == 1
    assert Certificate.objects.count() == 1


def test_changed_data_makes_a_new_document(django_capture_on_commit_callbacks):
    assessment, actor = AssessmentFactory(mixed=True), UserFactory()
    with django_capture_on_commit_callbacks():
        first = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=actor)
        Answer.objects.filter(assessment=assessment).update(comment="Corrigé après relecture.")
        second = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=actor)
    assert second != first
    assert second.snapshot_sha256 != first.snapshot_sha256


def test_a_revoked_or_failed_document_is_not_returned_again(django_capture_on_commit_callbacks):
    # A working report: after the revocation of an attestation, nothing stating the validation is
    # issued again by a request (tests/certificates/test_reissue.py).
    assessment, actor = AssessmentFactory(mixed=True), UserFactory()
    with django_capture_on_commit_callbacks():
        first = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=actor)
        services.certificate_revoke(certificate=first, actor=actor, reason="Erreur de saisie")
        second = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=actor)
        services.certificate_fail(certificate=second, reason="panne")
        third = services.certificate_request(assessment=assessment, kind=RAPPORT, actor=actor)
    assert len({first.pk, second.pk, third.pk}) == 3


def test_attestation_requires_a_validated_assessment():
    with pytest.raises(ValidationError) as error:
        services.certificate_request(assessment=AssessmentFactory(mixed=True), kind="attestation", actor=None)
    assert error.value.messages == [services.ATTESTATION_NEEDS_VALIDATION]
    assert not Certificate.objects.exists()


def test_draft_report_is_allowed_and_marked_draft(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        certificate = services.certificate_request(
            assessment=AssessmentFactory(mixed=True), kind=RAPPORT, actor=None
        )
    assert certificate.is_draft


def test_render_stores_the_pdf_privately_with_its_hash():
    certificate = services.certificate_render_pdf(certificate=certificate_from_snapshot())
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    assert certificate.rendered_at and certificate.attempts == 1
    content = certificate.file.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == certificate.file_sha256
    assert Path(certificate.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert actions(certificate) == [Action.RENDERED]


def test_render_is_idempotent():
    certificate = services.certificate_render_pdf(certificate=certificate_from_snapshot())
    name = certificate.file.name
    again = services.certificate_render_pdf(certificate=Certificate.objects.get(pk=certificate.pk))
    assert again.file.name == name
    assert actions(again) == [Action.RENDERED]
    assert Certificate.objects.get(pk=certificate.pk).attempts == 1


def test_revocation_is_logged_and_keeps_the_document():
    reviewer = UserFactory(reviewer=True)
    certificate = services.certificate_render_pdf(certificate=certificate_from_snapshot())
    services.certificate_revoke(
        certificate=certificate, actor=reviewer, reason="  Produit retiré du marché  "
    )
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == reviewer
    assert certificate.revocation_reason == "Produit retiré du marché"
    assert certificate.status == Certificate.Status.READY
    (event,) = [e for e in certificate_history(certificate=certificate) if e.action == Action.REVOKED]
    assert (event.actor, event.detail) == (str(reviewer), "Produit retiré du marché")


def test_revocation_needs_a_reason_and_happens_once():
    certificate = certificate_from_snapshot()
    with pytest.raises(ValidationError) as error:
        services.certificate_revoke(certificate=certificate, actor=None, reason="   ")
    assert error.value.messages == [services.REVOCATION_REASON_REQUIRED]
    services.certificate_revoke(certificate=certificate, actor=None, reason="Erreur")
    with pytest.raises(ValidationError) as error:
        services.certificate_revoke(certificate=certificate, actor=None, reason="Encore")
    assert error.value.messages == [services.ALREADY_REVOKED]


def test_enqueue_never_raises_when_the_broker_is_down(monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", DEAD_BROKER)
    started = time.monotonic()
    assert services.certificate_enqueue(certificate_id=123456) is False
    assert time.monotonic() - started < services.ENQUEUE_TIMEOUT_SECONDS + 3


def test_request_succeeds_and_stays_pending_when_the_broker_is_down(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(app.conf, "broker_url", DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_request(
            assessment=AssessmentFactory(validated=True, mixed=True), kind="attestation", actor=None
        )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING


def test_requeue_enqueues_only_old_pending_documents(monkeypatch):
    enqueued = []
    monkeypatch.setattr(
        services, "certificate_enqueue", lambda *, certificate_id: enqueued.append(certificate_id) or True
    )
    old, _recent, done = certificate_from_snapshot(), certificate_from_snapshot(), certificate_from_snapshot()
    services.certificate_render_pdf(certificate=done)
    long_ago = timezone.now() - timedelta(minutes=10)
    Certificate.objects.filter(pk__in=[old.pk, done.pk]).update(updated_at=long_ago)
    assert services.certificates_requeue_pending(older_than=timedelta(minutes=5)) == 1
    assert enqueued == [old.pk]
    assert actions(old) == [Action.REQUEUED]
    # The sweep touches what it requeued: the next one leaves it alone.
    assert services.certificates_requeue_pending(older_than=timedelta(minutes=5)) == 0


def test_render_task_retries_then_marks_the_document_failed(monkeypatch):
    def broken(snapshot, code):
        raise RuntimeError("police introuvable")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    certificate = certificate_from_snapshot()
    tasks.certificate_render.apply(args=(certificate.pk,))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.FAILED
    assert certificate.attempts == tasks.MAX_RETRIES + 1
    assert "police introuvable" in certificate.failure_reason
    assert actions(certificate) == [Action.FAILED]


def test_render_task_ignores_a_finished_document():
    certificate = services.certificate_render_pdf(certificate=certificate_from_snapshot())
    tasks.certificate_render.apply(args=(certificate.pk,))
    tasks.certificate_render.apply(args=(999_999_999,))
    assert actions(certificate) == [Action.RENDERED]


def test_beat_requeues_pending_documents_periodically():
    entry = settings.CELERY_BEAT_SCHEDULE["certificates-requeue-pending"]
    assert entry["task"] == tasks.certificates_requeue_pending.name
    assert entry["schedule"] <= services.REQUEUE_AFTER.total_seconds()


def test_a_render_interrupted_again_and_again_ends_failed():
    certificate = certificate_from_snapshot(attempts=tasks.MAX_ATTEMPTS)
    tasks.certificate_render.apply(args=(certificate.pk,))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.FAILED
    assert certificate.failure_reason == tasks.TOO_MANY_ATTEMPTS.format(attempts=tasks.MAX_ATTEMPTS)
    assert not certificate.file
