"""Reads on certificates, including the one access helper every certificate view goes through."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.db.models import Q, TextChoices
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import Assessment
from certificates.codes import format_code, normalise_code
from certificates.models import Certificate


def _visible_to(user) -> Q:
    """Reviewers see the certificates of every assessment once submitted (a never-submitted draft,
    and its working reports, belong to the vendor); a vendor sees its active companies' ones."""
    if user.is_reviewer:
        return ~Q(assessment__state=Assessment.State.DRAFT)
    return Q(company__memberships__user=user, company__memberships__is_active=True, company__is_active=True)


def certificate_for_user(*, user, public_id) -> Certificate:
    """A certificate the user may see (member of its company, or reviewer); 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404("Document introuvable.")
    certificates = Certificate.objects.select_related("company", "assessment").filter(_visible_to(user))
    return get_object_or_404(certificates, public_id=public_id)


def certificate_of_assessment(*, assessment: Assessment, public_id) -> Certificate:
    """One document of the assessment (the caller found the assessment through its own access
    helper); 404 for a document of another assessment."""
    certificates = Certificate.objects.select_related("company").filter(assessment=assessment)
    return get_object_or_404(certificates, public_id=public_id)


def assessment_for_certificates(*, user, public_id) -> Assessment:
    """An assessment whose documents the user may request (member of its company, or reviewer once
    it has been submitted: a never-submitted draft is a 404 for the agency)."""
    if not user.is_authenticated:
        raise Http404("Évaluation introuvable.")
    assessments = Assessment.objects.select_related("product_version__product__company")
    if user.is_reviewer:
        assessments = assessments.exclude(state=Assessment.State.DRAFT)
    else:
        assessments = assessments.filter(
            product_version__product__company__memberships__user=user,
            product_version__product__company__memberships__is_active=True,
            product_version__product__company__is_active=True,
        )
    return get_object_or_404(assessments, public_id=public_id)


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with that verification code (typed in any form), or None."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return Certificate.objects.select_related("company").filter(code=normalised).first()


def revoked_attestation(*, assessment: Assessment) -> Certificate | None:
    """The assessment's attestation when the latest one issued is revoked (nothing reissued since),
    else None (one query)."""
    attestations = Certificate.objects.filter(assessment=assessment, kind=Certificate.Kind.ATTESTATION)
    return revoked_among(attestations, assessment_id=assessment.pk)


def revoked_among(certificates: Iterable[Certificate], *, assessment_id: int) -> Certificate | None:
    """``revoked_attestation`` over certificates already loaded (a page listing them needs no query
    more). Failed renders do not count: they never stated anything."""
    attestations = [
        certificate
        for certificate in certificates
        if certificate.assessment_id == assessment_id
        and certificate.kind == Certificate.Kind.ATTESTATION
        and certificate.status != Certificate.Status.FAILED
    ]
    latest = max(attestations, key=lambda certificate: (certificate.created_at, certificate.pk), default=None)
    return latest if latest is not None and latest.is_revoked else None


def assessment_certificates(*, assessment: Assessment) -> list[Certificate]:
    """The documents issued for the assessment (attestations and reports), newest first; failed
    renders left out (one query)."""
    return list(
        Certificate.objects.filter(assessment=assessment)
        .exclude(status=Certificate.Status.FAILED)
        .order_by("-created_at", "-pk")
    )


class HistoryAction(TextChoices):
    REQUESTED = "requested", "Demandé"
    REISSUED = "reissued", "Délivré à nouveau après révocation"
    RENDERED = "rendered", "Généré"
    FAILED = "failed", "Échec"
    REQUEUED = "requeued", "Relancé"
    REVOKED = "revoked", "Révoqué"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str  # a ``HistoryAction``
    actor: str  # the person, or "Système" (the worker, the periodic sweep)
    detail: str = ""

    @property
    def label(self) -> str:
        return HistoryAction(self.action).label

    def __str__(self) -> str:
        return f"{self.label} le {timezone.localtime(self.at):%d/%m/%Y %H:%M}"


SYSTEM = "Système"
REISSUE_DETAIL = "{reason} (remplace le document {code}, révoqué)"


def certificate_history(*, certificate: Certificate) -> list[HistoryEntry]:
    """The life of a certificate, oldest first, read from the audit trail of its row: requested (or
    delivered again), rendered, failed, requeued, revoked, each with who and why. Two queries."""
    rows = list(
        certificate.audit_events.select_related(
            "reissue_of", "requested_by", "revoked_by", "pgh_context"
        ).order_by("pgh_created_at", "pgh_id")
    )
    users = _context_users(rows)
    entries, before = [], None
    for row in rows:
        entries.extend(_history_entries(row, before, users))
        before = row
    return entries


def _history_entries(row, before, users: dict) -> list[HistoryEntry]:
    context = row.pgh_context.metadata if row.pgh_context_id and row.pgh_context else {}
    by = users.get(_int(context.get("user")), SYSTEM)
    entry = partial(HistoryEntry, row.pgh_created_at)
    if row.pgh_label == "insert":
        requester = str(row.requested_by) if row.requested_by_id else by
        if row.reissue_of_id:
            detail = REISSUE_DETAIL.format(reason=row.reissue_reason, code=format_code(row.reissue_of.code))
            return [entry(HistoryAction.REISSUED, requester, detail)]
        return [entry(HistoryAction.REQUESTED, requester)]
    if row.pgh_label != "update" or before is None:
        return []
    entries = []
    if row.requeued_at and row.requeued_at != before.requeued_at:
        entries.append(entry(HistoryAction.REQUEUED, by))
    if row.status != before.status and row.status == Certificate.Status.READY:
        entries.append(entry(HistoryAction.RENDERED, by, f"SHA-256 {row.file_sha256}"))
    if row.status != before.status and row.status == Certificate.Status.FAILED:
        entries.append(entry(HistoryAction.FAILED, by, row.failure_reason))
    if row.revoked_at and not before.revoked_at:
        revoker = str(row.revoked_by) if row.revoked_by_id else by
        entries.append(entry(HistoryAction.REVOKED, revoker, row.revocation_reason))
    return entries


def _context_users(rows) -> dict:
    """The people named by the rows' contexts (the signed-in person of each change), in one query."""
    ids = {
        _int(row.pgh_context.metadata.get("user"))
        for row in rows
        if row.pgh_context_id and row.pgh_context and row.pgh_context.metadata.get("user")
    }
    if not ids:
        return {}
    return {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=ids)}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
