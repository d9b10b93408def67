"""The terms-of-use gate of every signed-in request, at no query in the common case.

The session remembers the number of the terms version its user accepted (written at login and on
acceptance); each process remembers the current version number for a minute. A request whose session
holds the current number passes without a query; otherwise one query decides. A new version therefore
reaches every process within a minute, and the process that publishes it at once
(``forget_current_version`` runs on every save or deletion of a version).
"""

import time

from accounts.selectors import current_terms_number, latest_terms_state

SESSION_KEY = "terms_accepted"
CURRENT_VERSION_TTL = 60.0

_current: dict = {"version": None, "expires": 0.0}


def current_version() -> int | None:
    """Number of the current terms (None when none exist), memoised in the process for a minute."""
    if time.monotonic() >= _current["expires"]:
        _remember_current(current_terms_number())
    return _current["version"]


def _remember_current(version: int | None) -> None:
    _current.update(version=version, expires=time.monotonic() + CURRENT_VERSION_TTL)


def forget_current_version(**kwargs) -> None:
    _current.update(version=None, expires=0.0)


def _check(request, user) -> bool:
    """Query the current version and the user's acceptance; remember an acceptance in the session."""
    state = latest_terms_state(user)
    if state is None:
        _remember_current(None)
        return False
    version, accepted = state
    _remember_current(version)
    if accepted:
        request.session[SESSION_KEY] = version
    return not accepted


def terms_pending(request) -> bool:
    """Whether the request's (signed-in) user still has to accept the current terms."""
    current = current_version()
    if current is None or request.session.get(SESSION_KEY) == current:
        return False
    return _check(request, request.user)


def remember_on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the session starts knowing whether the terms are accepted."""
    if request is not None and hasattr(request, "session"):
        _check(request, user)


def remember_acceptance(request, version: int) -> None:
    request.session[SESSION_KEY] = version
