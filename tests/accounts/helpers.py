"""Log people in from tests: terms accepted, second factor verified when asked.

Used by the ``reviewer_client``, ``vendor_client_factory`` and ``browser_login`` fixtures of
``tests/conftest.py``; other test modules may call these functions directly.
"""

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from accounts.models import TermsAcceptance
from accounts.selectors import current_terms
from tests.accounts.factories import TOTPDeviceFactory, UserFactory


def accept_current_terms(user) -> None:
    terms = current_terms()
    if terms is not None:
        TermsAcceptance.objects.get_or_create(user=user, terms=terms)


def totp_code(device) -> str:
    """The code the person's authenticator shows right now (what a tester would type)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def verified_login(client: Client, user, device=None) -> Client:
    """Log ``user`` in on ``client``; with ``device``, the session has passed the second factor."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def make_reviewer(**kwargs):
    """A reviewer with a confirmed TOTP device and the current terms accepted: (user, device)."""
    user = UserFactory(reviewer=True, **kwargs)
    device = TOTPDeviceFactory(user=user)
    accept_current_terms(user)
    return user, device


def reviewer_client(client: Client | None = None, **kwargs) -> Client:
    user, device = make_reviewer(**kwargs)
    client = verified_login(client or Client(), user, device)
    client.user = user
    return client


def session_cookie(client: Client) -> dict:
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
