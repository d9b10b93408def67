"""The assessment lifecycle: the declared transitions and the one function that applies them.

Nobody else assigns ``assessment.state``. ``transition`` checks the table below, who is acting and the
comment, sets the dates and the reviewer, writes the ``Transition`` log row, and raises a
``ValidationError`` (French message) for anything not declared. The state change is a conditional
UPDATE on the state read by the caller, so two people acting at once cannot both win.

Pages ask ``allowed`` (same table, same actor rules, no query) whether to offer an action; they never
compare states themselves.

A questionnaire of a certification procedure (the DMN candidature: ``in_candidature``) changes state
only with its candidature: the procedure's services pass ``candidature=True`` through the assessment
services; anything else (a page, the API, a command) is refused here, whatever the path it took.
"""

from dataclasses import dataclass
from functools import partial

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
SUBMIT_WITH_CANDIDATURE = (
    "Ce questionnaire fait partie d'une candidature DMN : il se soumet avec elle, depuis la page de la "
    "candidature."
)
REVIEW_WITH_CANDIDATURE = (
    "Ce questionnaire fait partie d'une candidature DMN : prenez-la en charge et décidez depuis la page "
    "de la candidature, qui applique la décision à chacun de ses questionnaires."
)


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


def is_declared(source: str, target: str) -> bool:
    """Whether the table has a transition from ``source`` to ``target``, whoever acts."""
    return (source, target) in ALLOWED


def in_candidature(assessment: Assessment) -> bool:
    """Whether ``assessment`` answers a questionnaire of a certification procedure (DMN), which changes
    state only with its candidature. No query when the questionnaire is loaded (member and reviewer
    selectors load it)."""
    return not assessment.questionnaire_version.questionnaire.is_self_assessment


def check(*, assessment: Assessment, to: str, actor, comment: str = "", candidature: bool = False) -> None:
    """Raise ``ValidationError`` unless ``actor`` may move ``assessment`` to ``to`` now (writes nothing).

    ``candidature``: the move is its candidature's (``dmn.services``); without it a questionnaire of a
    candidature is refused (``SUBMIT_WITH_CANDIDATURE``, ``REVIEW_WITH_CANDIDATURE``)."""
    rule = ALLOWED.get((assessment.state, to))
    if rule is None:
        raise ValidationError(NOT_ALLOWED.format(source=_label(assessment.state), target=_label(to)))
    if not candidature and in_candidature(assessment):
        raise ValidationError(SUBMIT_WITH_CANDIDATURE if to == State.SUBMITTED else REVIEW_WITH_CANDIDATURE)
    if rule.comment_required and not (comment or "").strip():
        raise ValidationError(COMMENT_REQUIRED.format(target=_label(to)))
    refusal = _actor_refusal(
        rule, assessment=assessment, actor=actor, roles=partial(_roles, assessment, actor)
    )
    if refusal:
        raise ValidationError(refusal)


def allowed(
    *,
    assessment: Assessment,
    to: str,
    actor,
    membership: Membership | None = None,
    candidature: bool = False,
) -> bool:
    """Whether ``check`` would let ``actor`` move ``assessment`` to ``to``, given the comment it needs.

    For pages deciding which actions to offer: runs no query. A vendor's role is read from
    ``membership`` (the actor's membership, e.g. ``request.membership``, with its company loaded); without
    one the actor has no role in the company. The assessment's company is its ``company_id`` attribute
    when the member selector set it. A questionnaire of a candidature is never moved alone.
    """
    rule = ALLOWED.get((assessment.state, to))
    if rule is None or (not candidature and in_candidature(assessment)):
        return False
    roles = partial(_membership_roles, assessment, actor, membership)
    return _actor_refusal(rule, assessment=assessment, actor=actor, roles=roles) is None


def instructing(*, assessment: Assessment, actor) -> bool:
    """Whether ``actor`` holds the instruction of ``assessment`` now (the reviewer who took it, while in
    review): who comments on its items and gives the proof verdicts. A questionnaire of a candidature
    is instructed on its own pages too; only its taking and decision are its candidature's. No query."""
    return allowed(assessment=assessment, to=State.VALIDATED, actor=actor, candidature=True)


@transaction.atomic
def transition(
    *,
    assessment: Assessment,
    to: str,
    actor,
    comment: str = "",
    api_key_name: str = "",
    candidature: bool = False,
) -> Assessment:
    """Apply one declared transition; return the updated assessment (the same instance).

    ``api_key_name``: the API key the actor acts through, logged with the transition (empty in pages).
    ``candidature``: as in ``check``.
    """
    source = assessment.state
    check(assessment=assessment, to=to, actor=actor, comment=comment, candidature=candidature)
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
        api_key_name=api_key_name,
    )
    return assessment


def _label(state) -> str:
    return State(state).label if state in State.values else str(state)


def _actor_refusal(rule: Rule, *, assessment: Assessment, actor, roles) -> str | None:
    """Why ``actor`` may not apply ``rule`` (a French message), or None. ``roles`` is called only for a
    vendor rule: it returns the actor's roles in the company that owns the assessment."""
    if rule.actor == REVIEWER:
        if not getattr(actor, "is_reviewer", False):
            return REVIEWER_ONLY
        deciding = assessment.state == State.IN_REVIEW
        if deciding and assessment.reviewer_id and assessment.reviewer_id != actor.pk:
            return NOT_ASSIGNED
        return None
    if not any(role_can(role, rule.capability) for role in roles()):
        return ROLE_CANNOT
    return None


def _roles(assessment: Assessment, actor) -> list[str]:
    return list(
        Membership.objects.filter(
            user=actor,
            is_active=True,
            company__is_active=True,
            company__products__versions__assessments=assessment,
        ).values_list("role", flat=True)
    )


def _membership_roles(assessment: Assessment, actor, membership: Membership | None) -> list[str]:
    """``_roles`` read from a membership already loaded, under the same conditions."""
    if membership is None or not getattr(actor, "pk", None) or membership.user_id != actor.pk:
        return []
    company_id = getattr(assessment, "company_id", None) or assessment.product_version.product.company_id
    usable = membership.is_active and membership.company.is_active and membership.company_id == company_id
    return [membership.role] if usable else []


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
