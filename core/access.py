"""Access decorators shared by the UI apps. Object-level access lives in each app's selectors."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.second_factor import is_verified, second_factor_redirect


def reviewer_required(view):
    """Back-office views: an agency reviewer who passed the second factor (TOTP) in this session.

    Anonymous → login page; not a reviewer → 403; reviewer without a verified second factor → the
    page that sets it up (none yet) or asks for a code (already set up), then back here.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_reviewer:
            raise PermissionDenied("Cette page est réservée aux instructeurs de l'agence.")
        if not is_verified(request):
            return second_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper
