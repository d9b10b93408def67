"""The current company of a portal request: which of their companies the person is working for.

Every portal view is decorated with ``member_required``; it sets ``request.membership`` (with its
``company``). The choice is kept in the session under ``current_company`` (the company's public id)
and defaults to the person's first active membership.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import signed_in
from companies.models import Membership
from companies.roles import role_can
from companies.selectors import active_memberships

SESSION_KEY = "current_company"
NO_COMPANY = "Votre compte n'est rattaché à aucune entreprise active."
CAPABILITY_DENIED = "Votre rôle dans l'entreprise ne permet pas cette action."


def current_membership(request) -> Membership:
    """The membership for the company chosen in the session, else the first one; 404 if none."""
    memberships = active_memberships(request.user)
    # Kept for the portal shell's company switcher, so it costs no second query.
    request.memberships = memberships
    if not memberships:
        raise Http404(NO_COMPANY)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.company.public_id) == chosen:
            return membership
    return memberships[0]


def set_current_company(request, membership: Membership) -> None:
    request.session[SESSION_KEY] = str(membership.company.public_id)


def enter_company(request, company_id: int) -> Membership:
    """The page shows an object of ``company_id``, one of the person's companies (the access
    selectors made sure): work as a member of that company from now on, so its role decides (the
    view's capability is checked again) and the header and the next pages follow it."""
    membership = request.membership
    if membership.company_id != company_id:
        membership = next(m for m in request.memberships if m.company_id == company_id)
        request.membership = membership
        set_current_company(request, membership)
        capability = getattr(request, "required_capability", None)
        if capability and not role_can(membership.role, capability):
            raise PermissionDenied(CAPABILITY_DENIED)
    return membership


def member_required(view=None, *, capability: str | None = None):
    """Portal views: the access chain (``accounts.access.signed_in``: signed in, second factor when
    due, terms), then the role step: a member of an active company; sets ``request.membership``.
    With ``capability``, the member's role must grant it (403 otherwise). Usable bare
    (``@member_required``) or with arguments (``@member_required(capability="manage_members")``).
    """

    def decorator(view_func):
        @signed_in
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            request.membership = current_membership(request)
            request.required_capability = capability
            if capability and not role_can(request.membership.role, capability):
                raise PermissionDenied(CAPABILITY_DENIED)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
