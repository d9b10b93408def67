"""Per-account login throttle, on top of django-axes' (e-mail, address) lockout.

django-axes locks one (e-mail, address) pair after ``AXES_FAILURE_LIMIT`` failures: guessing from
one address stops, guessing from a thousand addresses does not (each gets its own few tries).
Locking the *account* instead would hand anyone a way to lock its owner out from everywhere by
typing wrong passwords. So:

- failures for an account are counted across all addresses, in a window that opens at the first
  failure and lasts ``LOGIN_ACCOUNT_FAILURE_WINDOW``;
- once ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failures are reached, until the window closes, an attempt
  from an address that never signed in to that account is refused before the password is even
  checked, so those guesses get no answer;
- an address the owner signed in from (during the last ``LOGIN_KNOWN_ADDRESS_MAX_AGE``) is not
  affected: the owner still signs in there, axes' per-address lockout being the only limit;
- an owner away from every known address still has a way in: setting a password from the e-mailed
  reset link proves the mailbox and makes that address known.

Hence at most ``LIMIT`` guesses per ``WINDOW`` against one account from unknown addresses, whatever
the number of addresses, and no way for a stranger to lock the owner out of their usual places.
The behaviour is the same whether the e-mail has an account or not (nothing to enumerate).

The counter lives in the cache (Redis, shared by every web process); known addresses live in the
database as keyed digests (``KnownLoginAddress``), never as plain addresses.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import KnownLoginAddress, User

LOGIN_THROTTLED = (
    "Trop de tentatives de connexion ont échoué sur ce compte. Par sécurité, la connexion depuis "
    "un appareil ou un lieu inhabituel est suspendue pour le moment. Réessayez plus tard, ou "
    "choisissez un nouveau mot de passe avec « Mot de passe oublié ? » : le lien reçu par e-mail "
    "rétablit l'accès depuis ici."
)


def _failures_key(email: str) -> str:
    return f"accounts:login-failures:{_digest(email.strip().lower())}"


def _digest(value: str) -> str:
    return salted_hmac("accounts.login-throttle", value, algorithm="sha256").hexdigest()


def login_failure_record(*, email: str) -> None:
    """Count one failed password for ``email`` (whatever the address it came from)."""
    key = _failures_key(email)
    window = int(settings.LOGIN_ACCOUNT_FAILURE_WINDOW.total_seconds())
    cache.add(key, 0, window)  # the window opens at the first failure and is not extended
    try:
        cache.incr(key)
    except ValueError:  # the window closed between add and incr: start a new one
        cache.set(key, 1, window)


def login_refused(*, email: str, address: str) -> bool:
    """Whether an attempt on ``email`` from ``address`` is refused without checking the password."""
    if (cache.get(_failures_key(email)) or 0) < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return False
    since = timezone.now() - settings.LOGIN_KNOWN_ADDRESS_MAX_AGE
    known = KnownLoginAddress.objects.filter(
        user__email__iexact=email.strip(), address_digest=_digest(address), last_seen_at__gte=since
    )
    return not known.exists()


def login_address_remember(*, user: User, address: str) -> None:
    """``user`` proved who they are from ``address`` (password, or an e-mailed link): remember it."""
    KnownLoginAddress.objects.update_or_create(
        user=user, address_digest=_digest(address), defaults={"last_seen_at": timezone.now()}
    )
