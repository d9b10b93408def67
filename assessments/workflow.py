"""The assessment lifecycle: the declared transitions and the one function that applies them.

Nobody else assigns ``assessment.state``. ``transition`` checks the table below, who is acting and the
comment, sets the dates and the reviewer, writes the ``Transition`` log row, and raises a
``ValidationError`` (French message) for anything not declared. The state change is a conditional
UPDATE on the state read by the caller, so two people acting at once cannot both win.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, State, Transition
from companies.models import Membership
from companies.roles import SUBMIT_ASSESSMENT, role_can

VENDOR = "vendor"
REVIEWER = "reviewer"

NOT_ALLOWED = "Impossible de passer une évaluation de l'état « {source} » à l'état « {target} »."
COMMENT_REQUIRED = "Un commentaire est obligatoire pour passer l'évaluation à l'état « {target} »."
REVIEWER_ONLY = "Seul un instructeur de l'agence peut effectuer cette action."
ROLE_CANNOT = "Votre rôle dans l'entreprise ne permet pas cette action."
NOT_ASSIGNED = "Cette évaluation est instruite par un autre instructeur : seul celui-ci peut décider."
STALE = "L'évaluation a changé d'état entre-temps (elle est maintenant « {current} ») : rechargez la page."


@dataclass(frozen=True, slots=True)
class Rule:
    actor: str  # VENDOR (a member of the company) or REVIEWER (an agency reviewer)
    capability: str | None = None  # for VENDOR: what the member's role must grant
    comment_required: bool = False


ALLOWED: dict[tuple[str, str], Rule] = {
    (State.DRAFT, State.SUBMITTED): Rule(VENDOR, SUBMIT_ASSESSMENT),
    (State.SUBMITTED, State.IN_REVIEW): Rule(REVIEWER),  # "prendre en charge"
    (State.IN_REVIEW, State.VALIDATED): Rule(REVIEWER),
    (State.IN_REVIEW, State.CHANGES_REQUESTED): Rule(REVIEWER, comment_required=True),
    (State.IN_REVIEW, State.REFUSED): Rule(REVIEWER, comment_required=True),
    # Answers are editable again while changes are requested; the vendor then resubmits.
    (State.CHANGES_REQUESTED, State.SUBMITTED): Rule(VENDOR, SUBMIT_ASSESSMENT),
}


def check(*, assessment: Assessment, to: str, actor, comment: str = "") -> None:
    """Raise ``ValidationError`` unless ``actor`` may move ``assessment`` to ``to`` now (writes nothing)."""
    rule = ALLOWED.get((assessment.state, to))
    if rule is None:
        raise ValidationError(NOT_ALLOWED.format(source=_label(assessment.state), target=_label(to)))
    if rule.comment_required and not (comment or "").strip():
        raise ValidationError(COMMENT_REQUIRED.format(target=_label(to)))
    _check_actor(rule, assessment=assessment, actor=actor)


@transaction.atomic
def transition(*, assessment: Assessment, to: str, actor, comment: str = "") -> Assessment:
    """Apply one declared transition; return the updated assessment (the same instance)."""
    source = assessment.state
    check(assessment=assessment, to=to, actor=actor, comment=comment)
    comment = (comment or "").strip()
    changes = _changes(assessment, to=to, actor=actor)
    updated = Assessment.objects.filter(pk=assessment.pk, state=source).update(state=to, **changes)
    if not updated:
        current = Assessment.objects.filter(pk=assessment.pk).values_list("state", flat=True).first()
        raise ValidationError(STALE.format(current=_label(current)))
    for field, value in changes.items():
        setattr(assessment, field, value)
    assessment.state = to
    Transition.objects.create(
        assessment=assessment,
        actor=actor,
        from_state=source,
        to_state=to,
        comment=comment,
        at=changes["updated_at"],
    )
    return assessment


def _label(state) -> str:
    return State(state).label if state in State.values else str(state)


def _check_actor(rule: Rule, *, assessment: Assessment, actor) -> None:
    if rule.actor == REVIEWER:
        if not getattr(actor, "is_reviewer", False):
            raise ValidationError(REVIEWER_ONLY)
        deciding = assessment.state == State.IN_REVIEW
        if deciding and assessment.reviewer_id and assessment.reviewer_id != actor.pk:
            raise ValidationError(NOT_ASSIGNED)
        return
    roles = Membership.objects.filter(
        user=actor,
        is_active=True,
        company__is_active=True,
        company__products__versions__assessments=assessment,
    ).values_list("role", flat=True)
    if not any(role_can(role, rule.capability) for role in roles):
        raise ValidationError(ROLE_CANNOT)


def _changes(assessment: Assessment, *, to: str, actor) -> dict:
    now = timezone.now()
    changes = {"updated_at": now}
    if to == State.SUBMITTED:
        changes["submitted_at"] = now
    elif to == State.IN_REVIEW:
        changes["reviewer"] = actor
    elif to == State.VALIDATED:
        changes["validated_at"] = now
    return changes
