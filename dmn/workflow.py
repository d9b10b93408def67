"""The candidature lifecycle: the same declared transitions as an assessment's, applied by one function.

Nobody else assigns ``candidature.state``. ``transition`` checks the table (``assessments.workflow``'s,
so both lifecycles stay one), who is acting and the comment, writes the ``CandidatureTransition`` log
row, and raises a ``ValidationError`` (French message) otherwise. The change is a conditional UPDATE
on the state read by the caller, so two people acting at once cannot both win.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import State
from assessments.workflow import ALLOWED, REVIEWER, Rule
from companies.models import Membership
from companies.roles import role_can
from dmn.models import Candidature, CandidatureTransition

NOT_ALLOWED = "Impossible de passer une candidature de l'état « {source} » à l'état « {target} »."
COMMENT_REQUIRED = "Un commentaire est obligatoire pour passer la candidature à l'état « {target} »."
REVIEWER_ONLY = "Seul un instructeur de l'agence peut effectuer cette action."
ROLE_CANNOT = "Votre rôle dans l'entreprise ne permet pas cette action."
NOT_ASSIGNED = "Cette candidature est instruite par un autre instructeur : seul celui-ci peut décider."
STALE = "La candidature a changé d'état entre-temps (elle est maintenant « {current} ») : rechargez la page."


def _label(state) -> str:
    return State(state).label if state in State.values else str(state)


def refusal(
    *, candidature: Candidature, to: str, actor, roles=None, comment: str | None = None
) -> str | None:
    """Why ``actor`` may not move ``candidature`` to ``to`` now (French), or None.

    ``roles``: the actor's roles in the candidature's company (read from the database when None);
    ``comment`` None skips the comment check (pages asking whether to offer an action).
    """
    rule: Rule | None = ALLOWED.get((candidature.state, to))
    if rule is None:
        return NOT_ALLOWED.format(source=_label(candidature.state), target=_label(to))
    if comment is not None and rule.comment_required and not comment.strip():
        return COMMENT_REQUIRED.format(target=_label(to))
    if rule.actor == REVIEWER:
        if not getattr(actor, "is_reviewer", False):
            return REVIEWER_ONLY
        deciding = candidature.state == State.IN_REVIEW
        if deciding and candidature.reviewer_id and candidature.reviewer_id != actor.pk:
            return NOT_ASSIGNED
        return None
    if roles is None:
        roles = _roles(candidature, actor)
    if not any(role_can(role, rule.capability) for role in roles):
        return ROLE_CANNOT
    return None


def _roles(candidature: Candidature, actor) -> list[str]:
    if not getattr(actor, "pk", None):
        return []
    return list(
        Membership.objects.filter(
            user=actor,
            is_active=True,
            company__is_active=True,
            company__products__versions__dmn_candidatures=candidature,
        ).values_list("role", flat=True)
    )


@transaction.atomic
def transition(*, candidature: Candidature, to: str, actor, comment: str = "") -> Candidature:
    """Apply one declared transition; return the updated candidature (the same instance)."""
    source = candidature.state
    if reason := refusal(candidature=candidature, to=to, actor=actor, comment=comment or ""):
        raise ValidationError(reason)
    now = timezone.now()
    changes = {"updated_at": now}
    if to == State.SUBMITTED:
        changes["submitted_at"] = now
    elif to == State.IN_REVIEW:
        changes["reviewer"] = actor
    elif to in (State.VALIDATED, State.REFUSED, State.CHANGES_REQUESTED):
        changes["decided_at"] = now
    if not Candidature.objects.filter(pk=candidature.pk, state=source).update(state=to, **changes):
        current = Candidature.objects.filter(pk=candidature.pk).values_list("state", flat=True).first()
        raise ValidationError(STALE.format(current=_label(current)))
    for field, value in changes.items():
        setattr(candidature, field, value)
    candidature.state = to
    CandidatureTransition.objects.create(
        candidature=candidature,
        actor=actor,
        from_state=source,
        to_state=to,
        comment=(comment or "").strip(),
        at=now,
    )
    return candidature
