"""The access layer of every request: one chain, run by ``AccessMiddleware`` before any view.

signed in → second factor (when the person has a confirmed device, or is a reviewer or staff) →
terms of use accepted → role (the view's own decorator: ``reviewer_required`` here,
``companies.current.member_required`` for the portal, staff for the admin site).

Each view declares how much of the chain it needs: ``signed_in`` or a role decorator built on it
(this module), or a lower level (``public``, ``second_factor_page``, ``terms_page``... of
``core.access``, where the levels are defined). A view that declares nothing gets the whole chain:
forgetting a decorator closes a page, never opens it. Object-level access stays in each app's
selectors.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.second_factor import PENDING_SESSION_KEY, is_verified, second_factor_redirect
from accounts.terms_gate import terms_pending
from core.access import CHECKED_ATTRIBUTE, Access, view_access

REVIEWERS_ONLY = "Cette page est réservée aux instructeurs de l'agence."
STAFF_ONLY = "Cette page est réservée aux administrateurs techniques de la plateforme."


def second_factor_due(request) -> bool:
    """Whether this signed-in session must still pass the second factor.

    The login marks the session of a person with a confirmed device (``PENDING_SESSION_KEY``, see
    ``accounts.second_factor.mark_pending_on_login``), and ``User.has_second_factor`` catches the
    sessions opened before the device was confirmed; reviewers and staff owe it in any case, device
    or not (they are then sent to set one up)."""
    user = request.user
    owed = (
        request.session.get(PENDING_SESSION_KEY)
        or user.has_second_factor
        or user.is_reviewer
        or user.is_staff
    )
    return bool(owed) and not is_verified(request)


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


def _signed_out(request):
    # An htmx request of an expired session (an autosave) must not swap the login page into the
    # page: 401 and no swap, so the script keeps the answer and says it is not saved.
    if getattr(request, "htmx", False):
        return HttpResponse(status=401, headers={"HX-Reswap": "none"})
    return redirect_to_login(request.get_full_path())


def _elsewhere(request, url: str):
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def check_access(request, level: Access):
    """Run the chain up to ``level``: None when the request may go on, else the response to send."""
    setattr(request, CHECKED_ATTRIBUTE, level)
    if level is Access.OPEN:
        return None
    if not request.user.is_authenticated:
        return None if level is Access.PUBLIC else _signed_out(request)
    if level is Access.SECOND_FACTOR:
        return None
    if second_factor_due(request):
        response = second_factor_redirect(request)
        return _elsewhere(request, response.url)
    if level is Access.SIGNED_IN and terms_pending(request):
        return _elsewhere(request, _with_next("accounts:terms", request))
    return None


class AccessMiddleware:
    """Runs the chain before every view, at the level the view declared (whole chain by default).

    The admin site's views are staff pages: whole chain, then ``is_staff`` (403 otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            response = check_access(request, Access.SIGNED_IN)
            if response is None and not request.user.is_staff:
                raise PermissionDenied(STAFF_ONLY)
            return response
        return check_access(request, view_access(view_func))


def signed_in(view):
    """Signed-in pages with no role: the whole chain (run here too when the middleware did not)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, CHECKED_ATTRIBUTE, Access.OPEN) < Access.SIGNED_IN:
            response = check_access(request, Access.SIGNED_IN)
            if response is not None:
                return response
        return view(request, *args, **kwargs)

    wrapper.access = Access.SIGNED_IN
    return wrapper


def reviewer_required(view):
    """Back-office views: the whole chain (so a verified second factor), then the reviewer role.

    Anonymous → login page; second factor not passed → the page that sets it up or asks for a
    code, then back here; terms pending → the terms; not a reviewer → 403."""

    @signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_reviewer:
            raise PermissionDenied(REVIEWERS_ONLY)
        return view(request, *args, **kwargs)

    return wrapper
