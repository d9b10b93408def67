"""Development-only demo accounts: the technical admin and one agency reviewer with a fixed TOTP.

The reviewer's second factor uses the FIXED secret below, so a tester (or a browser test) can log
in: add ``REVIEWER_TOTP_SECRET`` to any authenticator app (FreeOTP, Aegis…), or compute the current
code with ``python -c "from accounts.demo import demo_totp_code; print(demo_totp_code())"``
(needs ``DJANGO_SETTINGS_MODULE``), i.e. ``django_otp.oath.totp`` on that key.
"""

from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from core.demo import DEMO_PASSWORD

ADMIN_EMAIL = "admin@convergence.localhost"
REVIEWER_EMAIL = "instructeur@agence.example"
# Base32, 20 bytes. Development only: never reuse it for a real account.
REVIEWER_TOTP_SECRET = "KRUGS4ZANFZSAYJAMRSW23ZAMZUXQZLE"
REVIEWER_TOTP_KEY_HEX = b32decode(REVIEWER_TOTP_SECRET).hex()


def demo_totp_code(secret: str = REVIEWER_TOTP_SECRET) -> str:
    """The 6-digit code an authenticator app shows right now for ``secret``."""
    return f"{totp(b32decode(secret)):06d}"


def demo_user(email: str, **fields) -> User:
    """Create the demo user once (password ``DEMO_PASSWORD``); later runs leave it untouched."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
    return user


def load(stdout) -> list[tuple[str, str]]:
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        User.objects.create_superuser(ADMIN_EMAIL, DEMO_PASSWORD, first_name="Admin", last_name="Démo")
    reviewer = demo_user(REVIEWER_EMAIL, first_name="Inès", last_name="Instructrice", is_reviewer=True)
    TOTPDevice.objects.get_or_create(
        user=reviewer,
        name="Application d'authentification (démo)",
        defaults={"key": REVIEWER_TOTP_KEY_HEX, "confirmed": True},
    )
    return [
        (ADMIN_EMAIL, "administrateur technique (/admin/)"),
        (REVIEWER_EMAIL, f"instructeur de l'agence (/instruction/), secret TOTP {REVIEWER_TOTP_SECRET}"),
    ]
