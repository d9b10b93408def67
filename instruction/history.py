"""The vendor's view of a product's life for its product page: submissions, decisions, the
reviewer's published comments and the documents issued, newest first, in four queries."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from assessments.models import State, Submission, Transition
from certificates.models import Certificate
from instruction.models import ReviewComment

# Decisions and sendings-back are what the vendor waits for; the rest is their own doing.
DECISION_STATES = (State.VALIDATED, State.CHANGES_REQUESTED, State.REFUSED, State.IN_REVIEW)


@dataclass
class HistoryEntry:
    at: datetime
    kind: str  # "submission", "decision", "comment", "certificate"
    title: str
    detail: str
    version: str
    certificate: Certificate | None = None


def product_history(*, product) -> list[HistoryEntry]:
    """Every submission, reviewer decision, published comment and document of the product."""
    entries = [*_submissions(product), *_decisions(product), *_comments(product), *_certificates(product)]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _submissions(product):
    rows = Submission.objects.filter(assessment__product_version__product=product).select_related(
        "assessment__product_version", "submitted_by"
    )
    for submission in rows:
        who = f" par {submission.submitted_by}" if submission.submitted_by else ""
        yield HistoryEntry(
            submission.submitted_at,
            "submission",
            f"Soumission n° {submission.number}{who}",
            "",
            submission.assessment.product_version.label,
        )


def _decisions(product):
    rows = Transition.objects.filter(
        assessment__product_version__product=product, to_state__in=DECISION_STATES
    ).select_related("assessment__product_version")
    for transition in rows:
        title = (
            "Prise en charge par l'agence"
            if transition.to_state == State.IN_REVIEW
            else "Décision de l'agence"
        )
        yield HistoryEntry(
            transition.at,
            "decision",
            f"{title} : {transition.get_to_state_display().lower()}",
            transition.comment,
            transition.assessment.product_version.label,
        )


def _comments(product):
    rows = ReviewComment.objects.filter(
        assessment__product_version__product=product, is_published=True
    ).select_related("assessment__product_version", "item")
    for comment in rows:
        about = f"l'exigence {comment.item.code}" if comment.item_id else "l'ensemble de l'évaluation"
        yield HistoryEntry(
            comment.created_at,
            "comment",
            f"Commentaire de l'instructeur sur {about}",
            comment.body,
            comment.assessment.product_version.label,
        )


def _certificates(product):
    rows = Certificate.objects.filter(assessment__product_version__product=product).select_related(
        "assessment__product_version"
    )
    for certificate in rows:
        state = (
            f"révoqué le {timezone.localtime(certificate.revoked_at):%d/%m/%Y}"
            if certificate.is_revoked
            else certificate.get_status_display().lower()
        )
        yield HistoryEntry(
            certificate.created_at,
            "certificate",
            f"{certificate.get_kind_display()} ({state})",
            certificate.revocation_reason,
            certificate.assessment.product_version.label,
            certificate,
        )
