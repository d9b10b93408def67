from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from companies.models import Company, Membership


def user_memberships(user) -> QuerySet[Membership]:
    """The user's active memberships of active companies, with their company, by company name."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.select_related("company")
        .filter(user=user, is_active=True, company__is_active=True)
        .order_by("company__name", "company__pk")
    )


def membership_for(*, user, company_public_id) -> Membership:
    """The user's active membership of that company; 404 for anyone else (never reveal it exists)."""
    return get_object_or_404(user_memberships(user), company__public_id=company_public_id)


def company_for_member(*, user, public_id) -> Company:
    return membership_for(user=user, company_public_id=public_id).company


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
    except (Membership.DoesNotExist, ValueError) as error:
        raise Http404("Membre introuvable.") from error


def active_mandataire_count(*, company: Company) -> int:
    return Membership.objects.filter(
        company=company, role=Membership.Role.MANDATAIRE, is_active=True, user__is_active=True
    ).count()
