"""Writes of the companies domain: account requests, their decision, invitations, members.

Every membership change is recorded by the audit trigger (``audit.MembershipEvent``, person from the
request context); account-request decisions carry who, when and why on the request itself.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.emails import send_templated_email_on_commit
from accounts.models import User
from accounts.services import password_set_url
from companies.identifiers import siren_from
from companies.models import AccountRequest, Company, Invitation, Membership, Role
from companies.roles import MANAGE_MEMBERS, assignable_roles, role_can
from companies.selectors import account_request_conflict, active_mandataire_count, token_hash

REQUEST_ALREADY_DECIDED = "Cette demande a déjà été traitée."
COMPANY_ALREADY_ACTIVE = "Cette entreprise a déjà un compte actif : la demande ne peut pas être acceptée."
REVIEWER_CANNOT_BE_MEMBER = (
    "Cette adresse est celle d'un instructeur de l'agence, qui ne peut pas être membre d'une entreprise."
)
REQUEST_SIREN_INVALID = (
    "Le SIREN de cette demande n'est pas valide (9 chiffres de 0 à 9 attendus) : "
    "refusez-la en invitant le demandeur à la renouveler."
)
REJECTION_NEEDS_REASON = "Indiquez le motif du refus : il est envoyé au demandeur."
CANNOT_MANAGE_MEMBERS = "Votre rôle ne permet pas de gérer les membres de l'entreprise."
ROLE_NOT_ASSIGNABLE = "Votre rôle ne permet pas d'attribuer le rôle « {role} »."
CANNOT_MANAGE_MANDATAIRE = "Seul un mandataire peut modifier ou désactiver un autre mandataire."
LAST_MANDATAIRE = "L'entreprise doit garder au moins un mandataire actif : désignez-en un autre d'abord."
ALREADY_MEMBER = "Cette personne est déjà membre active de l'entreprise."
INVITATION_UNUSABLE = (
    "Cette invitation n'est plus valable : elle a déjà été utilisée, annulée ou elle a expiré."
)
INVITATION_WRONG_ACCOUNT = "Cette invitation est destinée à une autre adresse e-mail."


# --- Account requests ------------------------------------------------------------------------------
@transaction.atomic
def account_request_create(*, data: dict, document: UploadedFile) -> AccountRequest:
    """Record a request (``data``: cleaned form fields) and acknowledge it by e-mail.

    Raises ``ValidationError`` when the company already has an account or a pending request.
    """
    if conflict := account_request_conflict(siren=data["siren"]):
        raise ValidationError(conflict)
    fields = (
        "siren",
        "siret",
        "company_name",
        "address",
        "first_name",
        "last_name",
        "email",
        "phone",
        "position",
    )
    request = AccountRequest(
        **{name: data[name] for name in fields}, certified=True, document_name=document.name
    )
    request.document.save("justificatif.pdf", document, save=False)
    request.save()
    send_templated_email_on_commit(
        template="account_request_received", to=request.email, context={"request": request}
    )
    return request


def _decided(account_request: AccountRequest) -> AccountRequest:
    """Lock the request row so two reviewers cannot decide it twice."""
    locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if locked.status != AccountRequest.Status.PENDING:
        raise ValidationError(REQUEST_ALREADY_DECIDED)
    return locked


@transaction.atomic
def account_request_approve(*, account_request: AccountRequest, reviewer: User) -> Membership:
    """Open the account in one transaction: company, user (or the existing one), mandataire membership.

    A new user gets a single-use link (72 h) to choose a password; a known one is told to log in.
    """
    request = _decided(account_request)
    try:
        siren_from(request.siren)
    except ValueError as error:  # recorded before the form required ASCII digits
        raise ValidationError(REQUEST_SIREN_INVALID) from error
    company = _company_for(request)
    user, created = _user_for(request)
    membership, _ = Membership.objects.update_or_create(
        user=user, company=company, defaults={"role": Role.MANDATAIRE, "is_active": True}
    )
    _decide(request, reviewer=reviewer, status=AccountRequest.Status.APPROVED, company=company)
    context = {"request": request, "company": company, "user": user}
    if created or not user.has_usable_password():
        context["link"] = password_set_url(user=user)
    send_templated_email_on_commit(template="account_request_approved", to=user.email, context=context)
    return membership


def _company_for(request: AccountRequest) -> Company:
    company = Company.objects.select_for_update().filter(siren=request.siren).first()
    if company is None:
        return Company.objects.create(siren=request.siren, name=request.company_name, address=request.address)
    if company.is_active:
        raise ValidationError(COMPANY_ALREADY_ACTIVE)
    company.name, company.address, company.is_active = request.company_name, request.address, True
    company.save(update_fields=["name", "address", "is_active", "updated_at"])
    return company


def _user_for(request: AccountRequest) -> tuple[User, bool]:
    user = User.objects.filter(email__iexact=request.email).first()
    if user is None:
        user = User.objects.create_user(
            request.email, None, first_name=request.first_name, last_name=request.last_name
        )
        return user, True
    if user.is_reviewer:
        raise ValidationError(REVIEWER_CANNOT_BE_MEMBER)
    return user, False


def _decide(request: AccountRequest, *, reviewer: User, status: str, reason: str = "", company=None) -> None:
    request.status, request.decided_by, request.decided_at = status, reviewer, timezone.now()
    request.decision_reason, request.company = reason, company
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "company", "updated_at"]
    )


@transaction.atomic
def account_request_reject(*, account_request: AccountRequest, reviewer: User, reason: str) -> AccountRequest:
    """Refuse the request with a reason, which is e-mailed to the requester."""
    if not reason.strip():
        raise ValidationError(REJECTION_NEEDS_REASON)
    request = _decided(account_request)
    _decide(request, reviewer=reviewer, status=AccountRequest.Status.REJECTED, reason=reason.strip())
    send_templated_email_on_commit(
        template="account_request_rejected", to=request.email, context={"request": request}
    )
    return request


# --- Members ---------------------------------------------------------------------------------------
def _check_can_manage(
    actor: Membership, *, target_role: str | None = None, new_role: str | None = None
) -> None:
    if not actor.is_active or not role_can(actor.role, MANAGE_MEMBERS):
        raise PermissionDenied(CANNOT_MANAGE_MEMBERS)
    if target_role == Role.MANDATAIRE and actor.role != Role.MANDATAIRE:
        raise PermissionDenied(CANNOT_MANAGE_MANDATAIRE)
    if new_role is not None and new_role not in assignable_roles(actor.role):
        raise PermissionDenied(ROLE_NOT_ASSIGNABLE.format(role=Role(new_role).label))


def _lock_company(company: Company) -> None:
    # Serialises member changes of one company: the last-mandataire check cannot race.
    Company.objects.select_for_update().filter(pk=company.pk).first()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: Membership) -> Membership:
    """Change a member's role; the last active mandataire keeps theirs."""
    _check_can_manage(actor, target_role=membership.role, new_role=role)
    _lock_company(membership.company)
    membership.refresh_from_db()
    if membership.role == role:
        return membership
    if (
        membership.role == Role.MANDATAIRE
        and membership.is_active
        and active_mandataire_count(company=membership.company) <= 1
    ):
        raise ValidationError(LAST_MANDATAIRE)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, actor: Membership) -> Membership:
    """Remove a member's access to the company (kept for history); never the last mandataire."""
    _check_can_manage(actor, target_role=membership.role)
    _lock_company(membership.company)
    membership.refresh_from_db()
    if not membership.is_active:
        return membership
    if membership.role == Role.MANDATAIRE and active_mandataire_count(company=membership.company) <= 1:
        raise ValidationError(LAST_MANDATAIRE)
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    return membership


# --- Invitations -----------------------------------------------------------------------------------
@transaction.atomic
def invitation_create(*, company: Company, email: str, role: str, actor: Membership) -> Invitation:
    """Invite someone by e-mail with a role: a single-use link valid ``INVITATION_VALIDITY_DAYS`` days.

    A previous pending invitation of the same address to the same company is revoked.
    """
    _check_can_manage(actor, new_role=role)
    email = email.strip().lower()
    if Membership.objects.filter(company=company, user__email__iexact=email, is_active=True).exists():
        raise ValidationError(ALREADY_MEMBER)
    if User.objects.filter(email__iexact=email, is_reviewer=True).exists():
        raise ValidationError(REVIEWER_CANNOT_BE_MEMBER)
    now = timezone.now()
    Invitation.objects.filter(
        company=company, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        company=company,
        email=email,
        role=role,
        invited_by=actor.user,
        token_hash=token_hash(token),
        expires_at=now + timedelta(days=settings.INVITATION_VALIDITY_DAYS),
    )
    link = settings.SITE_URL + reverse("portal:members:invitation_accept", kwargs={"token": token})
    context = {"invitation": invitation, "link": link, "days": settings.INVITATION_VALIDITY_DAYS}
    send_templated_email_on_commit(template="invitation", to=email, context=context)
    return invitation


def invitation_usable(invitation: Invitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > timezone.now()
    )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Use the invitation once: a logged-in ``user`` with the invited address joins, or a new
    account is created with ``password`` (already validated by the form)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation_usable(invitation):
        raise ValidationError(INVITATION_UNUSABLE)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(INVITATION_WRONG_ACCOUNT)
        user = User.objects.create_user(
            invitation.email, password, first_name=first_name, last_name=last_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(INVITATION_WRONG_ACCOUNT)
    membership, _ = Membership.objects.update_or_create(
        user=user, company=invitation.company, defaults={"role": invitation.role, "is_active": True}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Membership) -> Invitation:
    _check_can_manage(actor, new_role=invitation.role)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation
