from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import TermsAcceptance, TermsVersion, User
from accounts.second_factor import RECOVERY_DEVICE_NAME

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
TOTP_CODE_INVALID = (
    "Ce code n'est pas valide. Vérifiez l'heure de votre téléphone et saisissez le code affiché."
)
REVIEWER_SECOND_FACTOR_MANDATORY = "La double authentification est obligatoire pour les instructeurs."


@transaction.atomic
def terms_accept(*, user: User, terms: TermsVersion) -> TermsAcceptance:
    """Record the acceptance (idempotent: accepting twice keeps the first timestamp)."""
    acceptance, _ = TermsAcceptance.objects.get_or_create(user=user, terms=terms)
    return acceptance


def password_set_url(*, user: User) -> str:
    """Absolute single-use link to choose a password, valid ``PASSWORD_RESET_TIMEOUT`` (72 h).

    Django's token embeds the password hash and last login: it dies once the password is set.
    """
    path = reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device (its QR code is shown until a first code confirms it)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the device with a first code; it replaces any older one. Returns fresh recovery codes."""
    if not device.verify_token(token):
        raise ValidationError(TOTP_CODE_INVALID)
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    User.objects.filter(pk=device.user_id).update(has_second_factor=True)
    device.user.has_second_factor = True
    return recovery_codes_regenerate(user=device.user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the person's recovery codes (each usable once) and return them, to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_disable(*, user: User) -> None:
    if user.is_reviewer:
        raise ValidationError(REVIEWER_SECOND_FACTOR_MANDATORY)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(has_second_factor=False)
    user.has_second_factor = False
