"""Access decorators shared by the UI apps. Object-level access lives in each app's selectors."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def reviewer_required(view):
    """Back-office views: an authenticated agency reviewer, else login page (anonymous) or 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_reviewer:
            raise PermissionDenied("Cette page est réservée aux instructeurs de l'agence.")
        return view(request, *args, **kwargs)

    return wrapper
