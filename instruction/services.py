"""Writes of the review flow ("instruction"): item comments and the reviewer's decisions.

A decision composes the state service of ``assessments.services`` with what the review flow adds,
all in one transaction: the comments become visible to the vendor when the assessment is sent back
(or refused), validation issues the attestation (``certificates.services.certificate_request``), and
every decision e-mails the company's mandataires and représentants once committed.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from assessments import notifications, services
from assessments.models import Assessment, State, Transition
from assessments.selectors import assessment_structure
from certificates.models import Certificate
from certificates.services import certificate_request
from companies.roles import ANSWER, role_can
from instruction.models import ReviewComment
from proofs.services import ensure_proofs_accepted

COMMENT_EMPTY = "Le commentaire ne peut pas être vide."
COMMENT_TOO_LONG = "Le commentaire dépasse {max} caractères."
COMMENT_NOT_IN_REVIEW = "On ne commente une évaluation que pendant son instruction."
COMMENT_REVIEWER_ONLY = "Seul un instructeur de l'agence peut commenter une évaluation en instruction."
COMMENT_NOT_ASSIGNED = (
    "Cette évaluation est instruite par un autre instructeur : seul celui-ci peut la commenter."
)
COMMENT_UNKNOWN_ITEM = "L'exigence « {code} » n'existe pas dans ce questionnaire."
COMMENT_BAD_PARENT = "Le commentaire auquel vous répondez n'appartient pas à cette évaluation."
REPLY_NOT_SENT_BACK = (
    "On ne répond aux remarques de l'instructeur que lorsque l'évaluation est renvoyée pour compléments."
)
REPLY_ROLE_CANNOT = "Votre rôle dans l'entreprise ne permet pas de répondre à l'instructeur."
UNKNOWN_DECISION = "Décision inconnue."
COMMENT_MAX_LENGTH = 5000


class Decision(models.TextChoices):
    VALIDATE = "valider", "Valider"
    REQUEST_CHANGES = "completer", "Demander des compléments"
    REFUSE = "refuser", "Refuser"


@transaction.atomic
def review_comment_add(
    *,
    assessment: Assessment,
    author,
    body: str,
    item_code: str = "",
    parent_id: int | None = None,
    internal: bool = False,
) -> ReviewComment:
    """A reviewer's comment on an item (or on the whole assessment when ``item_code`` is empty), or
    a reply to ``parent_id`` (same item). Hidden from the vendor until the assessment is sent back;
    an ``internal`` note, and any reply to one, is never shown to the vendor."""
    body = _body(body)
    if not getattr(author, "is_reviewer", False):
        raise ValidationError(COMMENT_REVIEWER_ONLY)
    if assessment.state != State.IN_REVIEW:
        raise ValidationError(COMMENT_NOT_IN_REVIEW)
    if assessment.reviewer_id != author.pk:
        raise ValidationError(COMMENT_NOT_ASSIGNED)
    parent = _parent(assessment, parent_id)
    item_id = parent.item_id if parent else _item_id(assessment, item_code)
    return ReviewComment.objects.create(
        assessment=assessment,
        item_id=item_id,
        parent=parent,
        author=author,
        body=body,
        internal=parent.internal if parent else internal,
    )


@transaction.atomic
def review_comment_reply(
    *, assessment: Assessment, author, membership, body: str, parent_id
) -> ReviewComment:
    """A vendor member's reply in the thread of a remark the reviewer sent them (``parent_id``: the
    remark or a reply in its thread). Allowed while the assessment is sent back for changes, to a
    member whose role answers the questionnaire; visible at once to the company and the agency."""
    body = _body(body)
    if not role_can(membership.role, ANSWER):
        raise ValidationError(REPLY_ROLE_CANNOT)
    if assessment.state != State.CHANGES_REQUESTED:
        raise ValidationError(REPLY_NOT_SENT_BACK)
    # Only what the vendor can see can be answered: never an internal note or a pending remark.
    parent = ReviewComment.objects.filter(
        assessment=assessment, pk=parent_id, is_published=True, internal=False
    ).first()
    if parent is None:
        raise ValidationError(COMMENT_BAD_PARENT)
    return ReviewComment.objects.create(
        assessment=assessment,
        item_id=parent.item_id,
        parent=parent,
        author=author,
        body=body,
        is_published=True,
    )


def _body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(COMMENT_EMPTY)
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(COMMENT_TOO_LONG.format(max=COMMENT_MAX_LENGTH))
    return body


def _parent(assessment: Assessment, parent_id: int | None) -> ReviewComment | None:
    if not parent_id:
        return None
    parent = ReviewComment.objects.filter(assessment=assessment, pk=parent_id).first()
    if parent is None:
        raise ValidationError(COMMENT_BAD_PARENT)
    return parent


def _item_id(assessment: Assessment, item_code: str) -> int | None:
    if not item_code:
        return None
    item = assessment_structure(assessment).items_by_code.get(item_code)
    if item is None:
        raise ValidationError(COMMENT_UNKNOWN_ITEM.format(code=item_code))
    return item["id"]


@transaction.atomic
def assessment_decide(*, assessment: Assessment, decision: str, actor, comment: str = "") -> Transition:
    """Apply the reviewer's decision and everything that goes with it; return the logged transition.

    Raises ``ValidationError`` (French message) when the workflow refuses it (not in review, taken
    by someone else, comment missing for a request for changes or a refusal); nothing is written then.
    A questionnaire of a DMN candidature is decided with its candidature (``dmn.services``): the
    workflow refuses it here (``workflow.REVIEW_WITH_CANDIDATURE``), before any write; alone, its
    validation would issue a self-assessment attestation.
    """
    if decision == Decision.VALIDATE:
        # A refused or partly verified proof sends the item back: the decision is a request for changes.
        ensure_proofs_accepted(assessment)
        services.assessment_validate(assessment=assessment, actor=actor, comment=comment)
        certificate_request(assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=actor)
    elif decision == Decision.REQUEST_CHANGES:
        services.assessment_request_changes(assessment=assessment, actor=actor, comment=comment)
        review_comments_publish(assessment=assessment)
    elif decision == Decision.REFUSE:
        services.assessment_refuse(assessment=assessment, actor=actor, comment=comment)
        review_comments_publish(assessment=assessment)
    else:
        raise ValidationError(UNKNOWN_DECISION)
    transition = Transition.objects.filter(assessment=assessment).latest("at", "pk")
    notifications.decision_notify(assessment=assessment, transition=transition)
    return transition


def review_comments_publish(*, assessment: Assessment) -> int:
    """Make every reviewer comment of the assessment visible to the vendor, internal notes excepted;
    return how many."""
    pending = ReviewComment.objects.filter(assessment=assessment, is_published=False, internal=False)
    return pending.update(is_published=True)
