"""The access levels a view declares, read by the access chain of ``accounts.access``.

Each view declares how much of the chain it needs with a decorator of this module (``public``,
``open_to_all``, ``second_factor_page``, ``terms_page``) or of ``accounts.access`` (``signed_in`` or a
role decorator built on it). A view that declares nothing gets the whole chain: forgetting a
decorator closes a page, never opens it. The levels live here, with no word of accounts, so that
the project's own pages (home, health probe) declare theirs from the bottom layer.
"""

from enum import IntEnum

# The level the chain was run at for this request, so a decorator does not run it a second time.
CHECKED_ATTRIBUTE = "access_checked"


class Access(IntEnum):
    """How much of the chain a view needs (each level includes the ones before it)."""

    OPEN = 0  # nothing at all: the health probe, logging out
    PUBLIC = 1  # anyone; a signed-in person who owes the second factor is sent to it first
    SECOND_FACTOR = 2  # signed in: the pages that set up or ask for the second factor
    TERMS = 3  # signed in, second factor passed: the terms-of-use page
    SIGNED_IN = 4  # signed in, second factor passed, terms accepted


def public(view):
    """Pages meant for anyone, anonymous visitors included."""
    view.access = Access.PUBLIC
    return view


def open_to_all(view):
    """No check at all: the health probe, logging out."""
    view.access = Access.OPEN
    return view


def second_factor_page(view):
    """Signed in, nothing more: where the second factor is set up or asked for."""
    view.access = Access.SECOND_FACTOR
    return view


def terms_page(view):
    """Signed in with the second factor passed, terms not yet accepted: the terms page."""
    view.access = Access.TERMS
    return view


def view_access(view) -> Access:
    """The level a view declared (a class-based view declares it as ``access`` on its class)."""
    level = getattr(view, "access", None)
    if level is None:
        level = getattr(getattr(view, "view_class", None), "access", None)
    return Access.SIGNED_IN if level is None else level
