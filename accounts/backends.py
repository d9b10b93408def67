from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes lockout check, skipped when no request is given.

    Every login form of the platform passes the request; only ``Client.login()`` in tests calls
    ``authenticate`` without one, and it must keep working there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_username(request, credentials) -> str:
    """Lock the e-mail address whatever its case: ``Marie@X.fr`` and ``marie@x.fr`` are one account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
