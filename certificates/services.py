"""Writes on certificates: request (freeze + enqueue), render, fail, revoke, reissue, requeue.

Every fact is written on the certificate's row, whose audit trail is its history
(``selectors.certificate_history``). Rendering is idempotent: a ready certificate is
never rendered again, whatever the number of deliveries of its task.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from assessments.models import Assessment
from certificates import notifications, rendering, selectors
from certificates.models import LISTED_KINDS, Certificate
from certificates.snapshot import assessment_snapshot, conformity_snapshot, snapshot_sha256

logger = logging.getLogger(__name__)

ATTESTATION_NEEDS_VALIDATION = "Une attestation n'est délivrée que pour une évaluation validée."
UNKNOWN_KIND = "Type de document inconnu."
NOT_A_SELF_ASSESSMENT = (
    "Cette évaluation fait partie d'une procédure de certification : elle n'ouvre droit à aucune "
    "attestation d'auto-évaluation. Le certificat de conformité est délivré à la validation de la candidature."
)
CONFORMITY_BY_PROCEDURE = (
    "Un certificat de conformité n'est délivré qu'à la validation de la candidature qu'il certifie."
)
CONFORMITY_NEEDS_VALIDATION = (
    "Un certificat de conformité n'est délivré que pour des questionnaires tous validés."
)
ALREADY_REVOKED = "Ce document est déjà révoqué."
REVOCATION_REASON_REQUIRED = "Indiquez le motif de la révocation."
ATTESTATION_REVOKED = (
    "L'attestation de cette évaluation a été révoquée par l'agence : aucun nouveau document attestant "
    "sa validation ne peut être obtenu. Seule l'agence peut délivrer à nouveau l'attestation ; "
    "écrivez au support si vous pensez que la révocation est une erreur, ou soumettez une nouvelle "
    "évaluation."
)
REPORT_REVOKED_WITH = "{reason} (révoqué avec l'attestation {code} de la même évaluation)"
REISSUE_REVIEWER_ONLY = "Seul un instructeur de l'agence peut délivrer à nouveau une attestation."
REISSUE_REASON_REQUIRED = "Indiquez le motif de la nouvelle délivrance."
NOTHING_TO_REISSUE = (
    "L'attestation de cette évaluation n'est pas révoquée : il n'y a rien à délivrer à nouveau."
)
ENQUEUE_FAILED = "Mise en file impossible (courtier indisponible) : le document reste en attente."
# Publishing must fail fast when the broker is down: the request has already been saved and the
# periodic requeue will pick the certificate up.
ENQUEUE_TIMEOUT_SECONDS = 2
REQUEUE_AFTER = timedelta(minutes=5)
# The changes announced to ``settings.CERTIFICATE_CHANGE_TASKS``.
ISSUED, REVOKED = "issued", "revoked"
FAILURE_REASON_LENGTH = 2000


@transaction.atomic
def certificate_request(*, assessment: Assessment, kind: str, actor) -> Certificate:
    """The document ``kind`` for ``assessment`` as it is now; renders it in the background.

    Freezes the snapshot and returns the existing live certificate when one already states exactly
    the same content (idempotent); otherwise creates a pending one and enqueues its render once the
    transaction commits. An attestation needs a validated assessment. Once the agency has revoked
    the attestation of a validated assessment, nothing stating its validation is issued here any
    more (``ATTESTATION_REVOKED``): only a reviewer can, through ``certificate_reissue``.
    """
    if kind not in Certificate.Kind.values:
        raise ValidationError(UNKNOWN_KIND)
    if kind == Certificate.Kind.CONFORMITE:
        raise ValidationError(CONFORMITY_BY_PROCEDURE)
    # Serialises concurrent requests for one assessment, so two clicks make one document.
    assessment = (
        Assessment.objects.select_related("product_version__product", "questionnaire_version__questionnaire")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )
    if (
        kind == Certificate.Kind.ATTESTATION
        and not assessment.questionnaire_version.questionnaire.is_self_assessment
    ):
        raise ValidationError(NOT_A_SELF_ASSESSMENT)
    if kind == Certificate.Kind.ATTESTATION and assessment.state != Assessment.State.VALIDATED:
        raise ValidationError(ATTESTATION_NEEDS_VALIDATION)
    # A report of a validated assessment states the validation too: neither may outlive a revocation.
    if assessment.state == Assessment.State.VALIDATED and selectors.revoked_attestation(
        assessment=assessment
    ):
        raise ValidationError(ATTESTATION_REVOKED)
    return _issue(assessment=assessment, kind=kind, actor=actor)


@transaction.atomic
def certificate_certify(*, assessments: list[Assessment], procedure_ref, content: dict, actor) -> Certificate:
    """The certificate of conformity of a validated certification procedure (a DMN candidature),
    rendered in the background once the transaction commits.

    ``assessments``: the procedure's questionnaires, its referential first (the certificate's anchor:
    company, product, access), each one validated, else ``CONFORMITY_NEEDS_VALIDATION``;
    ``procedure_ref``: the procedure's public id; ``content``: the keyword arguments of
    ``certificates.snapshot.conformity_snapshot`` (plain data, frozen by the procedure's app).
    Idempotent: the live certificate of the procedure, when there is one, is returned as it is.
    """
    referential, *_lines = assessments
    ids = [assessment.pk for assessment in assessments]
    states = dict(Assessment.objects.select_for_update().filter(pk__in=ids).values_list("pk", "state"))
    if len(states) != len(set(ids)) or set(states.values()) != {Assessment.State.VALIDATED}:
        raise ValidationError(CONFORMITY_NEEDS_VALIDATION)
    existing = (
        Certificate.objects.filter(procedure_ref=procedure_ref, revoked_at__isnull=True)
        .exclude(status=Certificate.Status.FAILED)
        .first()
    )
    if existing is not None:
        return existing
    snapshot = conformity_snapshot(**content)
    certificate = Certificate.objects.create(
        kind=Certificate.Kind.CONFORMITE,
        company_id=referential.product_version.product.company_id,
        assessment=referential,
        procedure_ref=procedure_ref,
        snapshot=snapshot,
        snapshot_sha256=snapshot_sha256(snapshot),
        template_version=rendering.TEMPLATE_VERSION,
        requested_by=actor,
    )
    transaction.on_commit(lambda: certificate_enqueue(certificate_id=certificate.pk))
    return certificate


def _issue(
    *, assessment: Assessment, kind: str, actor, reissue_of: Certificate | None = None, reason: str = ""
) -> Certificate:
    """Freeze, then return the live certificate with that content or create one (replacing
    ``reissue_of`` for ``reason`` when given) and enqueue its render on commit."""
    snapshot = assessment_snapshot(assessment=assessment, kind=kind)
    digest = snapshot_sha256(snapshot)
    if existing := _live_certificate(assessment=assessment, kind=kind, digest=digest):
        return existing
    certificate = Certificate.objects.create(
        kind=kind,
        company_id=assessment.product_version.product.company_id,
        assessment=assessment,
        snapshot=snapshot,
        snapshot_sha256=digest,
        template_version=rendering.TEMPLATE_VERSION,
        requested_by=actor,
        reissue_of=reissue_of,
        reissue_reason=reason if reissue_of else "",
    )
    transaction.on_commit(lambda: certificate_enqueue(certificate_id=certificate.pk))
    return certificate


@transaction.atomic
def certificate_reissue(*, assessment: Assessment, actor, reason: str) -> Certificate:
    """A new attestation (new verification code) for a validated assessment whose attestation was
    revoked: the agency's decision alone, its reason and the document it replaces stated on the new one.

    The revoked document stays revoked (its public page keeps saying so); afterwards the company's
    requests return the new document again.
    """
    if not getattr(actor, "is_reviewer", False):
        raise ValidationError(REISSUE_REVIEWER_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REISSUE_REASON_REQUIRED)
    assessment = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    if assessment.state != Assessment.State.VALIDATED:
        raise ValidationError(ATTESTATION_NEEDS_VALIDATION)
    revoked = selectors.revoked_attestation(assessment=assessment)
    if revoked is None:
        raise ValidationError(NOTHING_TO_REISSUE)
    return _issue(
        assessment=assessment,
        kind=Certificate.Kind.ATTESTATION,
        actor=actor,
        reissue_of=revoked,
        reason=reason,
    )


def _live_certificate(*, assessment, kind, digest) -> Certificate | None:
    return (
        Certificate.objects.filter(
            assessment=assessment,
            kind=kind,
            snapshot_sha256=digest,
            template_version=rendering.TEMPLATE_VERSION,
            revoked_at__isnull=True,
        )
        .exclude(status=Certificate.Status.FAILED)
        .first()
    )


def certificate_enqueue(*, certificate_id: int) -> bool:
    """Publish the render task; False (logged, never raised) when the broker cannot be reached."""
    from certificates.tasks import certificate_render

    return _publish(certificate_render, certificate_id)


def _publish(task, *args) -> bool:
    """Publish ``task`` with ``args``: one short attempt, False (logged) when the broker is down."""
    app = task.app  # the project's Celery app, without importing the project package

    # No reconnection loop here (max_retries 0): one short attempt, then the request moves on.
    options = {
        "socket_connect_timeout": ENQUEUE_TIMEOUT_SECONDS,
        "socket_timeout": ENQUEUE_TIMEOUT_SECONDS,
        "max_retries": 0,
    }
    try:
        with app.connection_for_write(
            connect_timeout=ENQUEUE_TIMEOUT_SECONDS, transport_options=options
        ) as connection:
            task.apply_async(args, connection=connection, retry=False)
    except Exception:  # any broker failure: logged; the caller decides what it means
        logger.warning(ENQUEUE_FAILED + " (%s%r)", task.name, args, exc_info=True)
        return False
    return True


def _announce(certificate: Certificate, change: str) -> None:
    """Once committed, enqueue each task of ``settings.CERTIFICATE_CHANGE_TASKS`` with the
    document's id and ``change`` (``issued`` or ``revoked``): upper layers (the catalogue's
    subscriptions) learn of the change without this app importing them. Only the public documents
    (attestations, certificates of conformity) are announced: reports are private."""
    if certificate.kind not in LISTED_KINDS:
        return
    certificate_id = certificate.pk

    def publish():
        for path in settings.CERTIFICATE_CHANGE_TASKS:
            _publish(import_string(path), certificate_id, change)

    transaction.on_commit(publish)


def certificate_render_pdf(*, certificate: Certificate) -> Certificate:
    """Render the PDF from the snapshot, store it privately with its SHA-256, mark it ready.

    Idempotent: a certificate already ready (or revoked) is returned untouched, including when a
    redelivered task finishes a render another delivery already saved.
    """
    if certificate.status == Certificate.Status.READY or certificate.is_revoked:
        return certificate
    # Counted before rendering, in its own commit: a crash mid-render still shows the attempt.
    Certificate.objects.filter(pk=certificate.pk).update(attempts=F("attempts") + 1)
    pdf = rendering.render_pdf(certificate.snapshot, certificate.code)
    return _store_pdf(certificate_id=certificate.pk, pdf=pdf)


@transaction.atomic
def _store_pdf(*, certificate_id: int, pdf: bytes) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    if certificate.status == Certificate.Status.READY:
        return certificate
    certificate.file.save(f"{certificate.public_id}.pdf", ContentFile(pdf), save=False)
    certificate.file_sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.status = Certificate.Status.READY
    certificate.rendered_at = timezone.now()
    certificate.failure_reason = ""
    certificate.save()
    _announce(certificate, ISSUED)
    return certificate


@transaction.atomic
def certificate_fail(*, certificate: Certificate, reason: str) -> Certificate:
    """Give up on a render (after the task's retries), keeping the reason for operators."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.PENDING:
        return certificate
    certificate.status = Certificate.Status.FAILED
    certificate.failure_reason = reason[:FAILURE_REASON_LENGTH]
    certificate.save(update_fields=["status", "failure_reason", "updated_at"])
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a document (logged, never deleted); the public page then shows the date and reason.

    Revoking an attestation also revokes the live reports of its assessment that state the
    validation (not the working drafts): otherwise one of them would still verify as valid. Revoking
    a public document (attestation, certificate of conformity) e-mails the company's mandataires and
    représentants and tells the catalogue's subscribers, once committed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REVOCATION_REASON_REQUIRED)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(ALREADY_REVOKED)
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    if certificate.kind == Certificate.Kind.ATTESTATION:
        _revoke_validated_reports(attestation=certificate, actor=actor)
    if certificate.kind in LISTED_KINDS:
        notifications.revocation_notify(certificate=certificate)
        _announce(certificate, REVOKED)
    return certificate


def _revoke_validated_reports(*, attestation: Certificate, actor) -> None:
    reports = Certificate.objects.select_for_update().filter(
        assessment_id=attestation.assessment_id,
        kind=Certificate.Kind.RAPPORT,
        revoked_at__isnull=True,
        snapshot__draft=False,
    )
    reason = REPORT_REVOKED_WITH.format(reason=attestation.revocation_reason, code=attestation.display_code)
    for report in reports:
        report.revoked_at, report.revoked_by, report.revocation_reason = attestation.revoked_at, actor, reason
        report.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])


def certificates_requeue_pending(*, older_than: timedelta = REQUEUE_AFTER) -> int:
    """Enqueue again every live certificate pending for longer than ``older_than``; returns how many.

    Safe to run at any time: a render delivered twice is done once.
    """
    cutoff = timezone.now() - older_than
    pending = Certificate.objects.filter(
        status=Certificate.Status.PENDING, revoked_at__isnull=True, updated_at__lte=cutoff
    ).values_list("pk", flat=True)
    count = 0
    for certificate_id in pending:
        if certificate_enqueue(certificate_id=certificate_id):
            _requeued(certificate_id)
            count += 1
    return count


def _requeued(certificate_id: int) -> None:
    # Touching updated_at keeps the next sweep from enqueueing it again straight away.
    now = timezone.now()
    Certificate.objects.filter(pk=certificate_id).update(updated_at=now, requeued_at=now)
