"""Reads about a person's second factor (TOTP), and where to send them when it is missing."""

from urllib.parse import urlencode
from xml.etree import ElementTree

import qrcode
import qrcode.image.svg
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Set at login for a person who has a second factor, cleared once they have verified it.
PENDING_SESSION_KEY = "second_factor_pending"
RECOVERY_DEVICE_NAME = "Codes de secours"


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def unconfirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0


def mark_pending_on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: whatever the way in (login form, password link, invitation, admin
    login), the session of a person with a confirmed device owes the second factor until verified."""
    if request is not None and hasattr(request, "session") and confirmed_totp(user):
        request.session[PENDING_SESSION_KEY] = True


def is_verified(request) -> bool:
    """Whether this session passed the second factor (django-otp's middleware adds the check)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def second_factor_redirect(request):
    """Send the person to verify their second factor, or to set it up if they have none."""
    name = "accounts:second_factor_verify" if confirmed_totp(request.user) else "accounts:second_factor_setup"
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def qr_code_svg(data: str) -> str:
    """An inline, accessible SVG QR code (no image file, no external service)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.get_image()
    svg.set("role", "img")
    svg.set("aria-label", "QR code à scanner avec votre application d'authentification")
    return ElementTree.tostring(svg, encoding="unicode")
