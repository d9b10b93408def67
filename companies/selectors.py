import hashlib

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import FilteredRelation, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from companies.models import AccountRequest, Company, Invitation, Membership


def user_memberships(user) -> QuerySet[Membership]:
    """The user's active memberships of active companies, with their company, by company name."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.select_related("company")
        .filter(user=user, is_active=True, company__is_active=True)
        .order_by("company__name", "company__pk")
    )


def of_member(queryset: QuerySet, user, *, company: str, related: bool = True) -> QuerySet:
    """``queryset`` restricted to the rows whose company (the relation path ``company``) is active and
    counts ``user`` among its active members, each row with that membership as ``member``: the access
    check and the person's role in the owning company in the object's own query (no membership list).
    ``member_of`` gives the membership with its company. ``related``: the rows along the path to the
    company are loaded too; without it, only the membership and its company."""
    memberships = f"{company}__memberships"
    return (
        queryset.annotate(
            member=FilteredRelation(
                memberships,
                condition=Q(**{f"{memberships}__user": user, f"{memberships}__is_active": True}),
            )
        )
        .filter(member__isnull=False, **{f"{company}__is_active": True})
        .select_related("member", company if related else "member__company")
    )


def member_of(instance, *, company: str) -> Membership:
    """The ``member`` of a row of ``of_member(…, company=company)``, with its company set."""
    membership = instance.member
    if Membership.company.is_cached(membership):  # of_member(…, related=False)
        return membership
    owner = instance
    for name in company.split("__"):
        owner = getattr(owner, name)
    membership.company = owner
    return membership


def active_membership(
    user, *, pk: int, role: str, company_id: int, company_public_id, company_name: str
) -> Membership:
    """An active membership of ``user`` of an active company, from values already read: model instances
    holding these fields (``Model.from_db``); any other field is deferred, loaded by the ORM if read."""
    membership = Membership.from_db(
        DEFAULT_DB_ALIAS,
        ["id", "user_id", "company_id", "role", "is_active"],
        [pk, user.pk, company_id, role, True],
    )
    membership.user = user
    membership.company = Company.from_db(
        DEFAULT_DB_ALIAS,
        ["id", "public_id", "name", "is_active"],
        [company_id, company_public_id, company_name, True],
    )
    return membership


def membership_for(*, user, company_public_id) -> Membership:
    """The user's active membership of that company; 404 for anyone else (never reveal it exists)."""
    try:
        return get_object_or_404(user_memberships(user), company__public_id=company_public_id)
    except (ValueError, ValidationError) as error:  # not a UUID
        raise Http404("Entreprise introuvable.") from error


def company_members(*, company: Company) -> QuerySet[Membership]:
    """Every membership of the company (active first), with its user, for the members page."""
    return (
        Membership.objects.select_related("user")
        .filter(company=company)
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email")
    )


def member_of_company(*, company: Company, public_id) -> Membership:
    """A membership of ``company`` by its public id; 404 if it belongs to another company."""
    try:
        return Membership.objects.select_related("user", "company").get(company=company, public_id=public_id)
    except (Membership.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Membre introuvable.") from error


def active_mandataire_count(*, company: Company) -> int:
    return Membership.objects.filter(
        company=company, role=Membership.Role.MANDATAIRE, is_active=True, user__is_active=True
    ).count()


ACTIVE_COMPANY_EXISTS = (
    "Cette entreprise a déjà un compte sur Convergence. Un représentant de l'entreprise peut créer "
    "votre compte depuis son espace (rubrique « Membres ») ; sinon, écrivez au support."
)
REQUEST_ALREADY_PENDING = (
    "Une demande d'ouverture de compte est déjà en cours d'examen pour cette entreprise. Vous serez "
    "informé par e-mail de la décision ; pour toute question, écrivez au support."
)


def account_request_conflict(*, siren: str) -> str | None:
    """Why a new request for this SIREN is refused, or None. Names no existing member."""
    if Company.objects.filter(siren=siren, is_active=True).exists():
        return ACTIVE_COMPANY_EXISTS
    if AccountRequest.objects.filter(siren=siren, status=AccountRequest.Status.PENDING).exists():
        return REQUEST_ALREADY_PENDING
    return None


def pending_account_requests() -> QuerySet[AccountRequest]:
    """Oldest first: requests are handled in the order they arrived."""
    return AccountRequest.objects.filter(status=AccountRequest.Status.PENDING).order_by("created_at", "pk")


def decided_account_requests() -> QuerySet[AccountRequest]:
    """The decision log: latest decision first, with who decided."""
    return (
        AccountRequest.objects.select_related("decided_by")
        .exclude(status=AccountRequest.Status.PENDING)
        .order_by("-decided_at", "-pk")
    )


def account_request_for_reviewer(*, public_id) -> AccountRequest:
    """Reviewers see every request; the caller is a ``reviewer_required`` view."""
    requests = AccountRequest.objects.select_related("decided_by", "company")
    try:
        return requests.get(public_id=public_id)
    except (AccountRequest.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Demande introuvable.") from error


def pending_invitations(*, company: Company) -> QuerySet[Invitation]:
    return (
        Invitation.objects.select_related("invited_by")
        .filter(
            company=company, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("email")
    )


def invitation_for_token(*, token: str) -> Invitation:
    """The invitation a link carries (any state: the view explains used or expired ones); else 404."""
    invitations = Invitation.objects.select_related("company", "invited_by")
    try:
        return invitations.get(token_hash=token_hash(token))
    except Invitation.DoesNotExist as error:
        raise Http404("Invitation introuvable.") from error


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
