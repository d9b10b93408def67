"""The current company of a portal request: which of their companies the person is working for.

Every portal view is decorated with ``member_required``; it sets ``request.membership`` (with its
``company``). The choice is kept in the session under ``current_company`` (the company's public id)
and defaults to the person's first active membership. ``request.memberships``, the list the portal
header's company switcher shows, is loaded only when something reads it: an htmx fragment that renders
no header and works on one object (``per_object``) never loads it. It is kept in the session
(``kept_memberships``): read from the database at login, then again only after one changes.
"""

from functools import wraps
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils.functional import SimpleLazyObject

from accounts.access import signed_in
from companies.models import Membership
from companies.roles import role_can
from companies.selectors import active_membership, user_memberships

SESSION_KEY = "current_company"
MEMBERSHIPS_KEY = "memberships"
NO_OBJECT_MEMBERSHIP = "{view} is declared per_object but found no object through portal.access."
NO_COMPANY = "Votre compte n'est rattaché à aucune entreprise active."
CAPABILITY_DENIED = "Votre rôle dans l'entreprise ne permet pas cette action."


def current_membership(request) -> Membership:
    """The membership for the company chosen in the session, else the first one; 404 if none."""
    if not hasattr(request, "memberships"):
        attach_memberships(request)
    memberships = request.memberships
    if not memberships:
        raise Http404(NO_COMPANY)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.company.public_id) == chosen:
            return membership
    return memberships[0]


def attach_memberships(request) -> None:
    """``request.memberships``: the person's active memberships of active companies, loaded when first
    read (the portal header's company switcher reads it; an htmx fragment does not)."""
    request.memberships = SimpleLazyObject(lambda: kept_memberships(request.session, request.user))


def kept_memberships(session, user) -> list[Membership]:
    """``user_memberships(user)``, kept in the session as plain data: read from the database once,
    then again only when the person's ``memberships_version`` has changed (a trigger raises it on
    every change of their memberships or of their companies' names and activity), so a membership
    left or a company deactivated counts from the person's next request."""
    kept = session.get(MEMBERSHIPS_KEY)
    if kept is not None and kept["user"] == user.pk and kept["version"] == user.memberships_version:
        return [
            active_membership(
                user,
                pk=pk,
                role=role,
                company_id=company_id,
                company_public_id=UUID(public_id),
                company_name=name,
            )
            for pk, role, company_id, public_id, name in kept["rows"]
        ]
    memberships = list(user_memberships(user))
    session[MEMBERSHIPS_KEY] = {
        "user": user.pk,
        "version": user.memberships_version,
        "rows": [[m.pk, m.role, m.company_id, str(m.company.public_id), m.company.name] for m in memberships],
    }
    return memberships


def keep_memberships_on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the session starts with the person's memberships (saved with the
    login's own session write), so the first portal page reads none. The version is read again first:
    the instance logging in may predate its memberships (a trigger raises the version in the database)."""
    if request is not None and hasattr(request, "session"):
        user.refresh_from_db(fields=["memberships_version"])
        kept_memberships(request.session, user)


def set_current_company(request, membership: Membership) -> None:
    request.session[SESSION_KEY] = str(membership.company.public_id)


def enter_company(request, membership: Membership) -> Membership:
    """The page shows an object of ``membership``'s company, found with the person's membership of it
    (``companies.selectors.of_member``): work as a member of that company from now on, so its role
    decides (the view's capability is checked here) and the header and the next pages follow it."""
    request.membership = membership
    if request.session.get(SESSION_KEY) != str(membership.company.public_id):
        set_current_company(request, membership)
    capability = getattr(request, "required_capability", None)
    if capability and not role_can(membership.role, capability):
        raise PermissionDenied(CAPABILITY_DENIED)
    return membership


def member_required(view=None, *, capability: str | None = None, per_object: bool = False):
    """Portal views: the access chain (``accounts.access.signed_in``: signed in, second factor when
    due, terms), then the role step: a member of an active company; sets ``request.membership``.
    With ``capability``, the member's role must grant it (403 otherwise). Usable bare
    (``@member_required``) or with arguments (``@member_required(capability="manage_members")``).

    ``per_object``: the view works on one object it finds through ``portal.access`` (an assessment, a
    product…), whose query also finds the person's membership of the owning company; the role is that
    one, checked there (``enter_company``), and the current company is not looked up beforehand.
    """

    def decorator(view_func):
        @signed_in
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            attach_memberships(request)
            request.required_capability = capability
            if per_object:
                request.membership = None
                response = view_func(request, *args, **kwargs)
                if request.membership is None:
                    if response.status_code < 400:
                        raise ImproperlyConfigured(NO_OBJECT_MEMBERSHIP.format(view=view_func.__qualname__))
                    # Refused before the object was looked up (the 405 of a method check): someone
                    # who is no member of any company still gets the portal's 404.
                    if not request.memberships:
                        raise Http404(NO_COMPANY)
                return response
            request.membership = current_membership(request)
            if capability and not role_can(request.membership.role, capability):
                raise PermissionDenied(CAPABILITY_DENIED)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
