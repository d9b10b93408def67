"""The technical admin site: second factor required, configurable URL, no device secret shown,
every action in the audit trail with its author."""

import os
import subprocess
import sys
from base64 import b32encode

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.models import User
from audit.models import AdminActionEvent, UserEvent
from tests.accounts.factories import TOTPDeviceFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, verified_login

pytestmark = pytest.mark.django_db


def _staff(verified: bool = True) -> tuple[Client, User]:
    user = User.objects.create_superuser("technique@exemple.fr", "Mot-de-passe-admin-2026")
    accept_current_terms(user)
    device = TOTPDeviceFactory(user=user)
    client = verified_login(Client(), user, device if verified else None)
    return client, user


def test_admin_site_is_django_otp_site():
    assert isinstance(admin.site, OTPAdminSite)


def test_password_only_staff_gets_no_admin_page():
    client, _user = _staff(verified=False)
    for name in ("admin:index", "admin:accounts_user_changelist", "admin:login"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:second_factor_verify"))


def test_admin_site_refuses_an_unverified_staff_even_without_the_middleware(rf):
    """Second lock: the site itself (OTPAdminSite) wants a verified session."""
    _client, user = _staff(verified=False)
    request = rf.get("/")
    user.is_verified = lambda: False
    request.user = user
    assert not admin.site.has_permission(request)
    user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_verified_staff_gets_the_admin():
    client, _user = _staff()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Administration technique" in response.content.decode()


def test_verified_non_staff_gets_403():
    user = UserFactory()
    accept_current_terms(user)
    client = verified_login(Client(), user, TOTPDeviceFactory(user=user))
    assert client.get(reverse("admin:index")).status_code == 403


def test_admin_url_comes_from_the_environment():
    environment = {**os.environ, "DJANGO_ADMIN_URL": "/gestion-x7k2/"}
    script = "from django.urls import reverse; print(reverse('admin:index'))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "/gestion-x7k2/"
    assert reverse("admin:index") == "/admin/"  # the development default


def test_no_device_secret_in_the_admin():
    client, _user = _staff()
    reviewer = UserFactory(reviewer=True)
    device = TOTPDeviceFactory(user=reviewer)
    recovery = StaticDevice.objects.create(user=reviewer, name="Codes de secours")
    StaticToken.objects.create(device=recovery, token="secours42x")
    secrets = [device.key, b32encode(device.bin_key).decode(), "secours42x"]
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_changelist"),
        reverse("admin:otp_static_staticdevice_change", args=[recovery.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert str(reviewer) in html
        for secret in secrets:
            assert secret not in html, url
    # django-otp's own pages that show the key as a QR code or a provisioning URL are gone.
    for suffix in ("config/", "qrcode/"):
        response = client.get(f"{reverse('admin:otp_totp_totpdevice_changelist')}{device.pk}/{suffix}")
        assert response.status_code in (302, 404)
        assert device.key not in response.content.decode()
    # Nor can a key be typed in.
    add = client.post(reverse("admin:otp_totp_totpdevice_add"), {"user": reviewer.pk, "key": "00" * 20})
    assert add.status_code == 403
    change = client.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]), {"key": "00" * 20, "name": "x"}
    )
    assert change.status_code == 403
    device.refresh_from_db()
    assert device.key != "00" * 20


def test_admin_change_leaves_an_audit_record_with_its_author():
    client, staff = _staff()
    person = UserFactory(email="promue@exemple.fr")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "is_active": "on",
        "is_reviewer": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_reviewer

    entry = LogEntry.objects.get(object_id=str(person.pk), action_flag=CHANGE)
    assert entry.user == staff
    action = AdminActionEvent.objects.select_related("pgh_context").get(pgh_obj=entry)
    assert action.user_id == staff.pk and action.object_repr == str(person)
    assert action.pgh_context.metadata["user"] == staff.pk
    grant = UserEvent.objects.select_related("pgh_context").get(pgh_obj=person, pgh_label="update")
    assert grant.is_reviewer and grant.pgh_context.metadata["user"] == staff.pk
    # The staff reads it in the admin, with the author's name.
    trail = client.get(reverse("admin:audit_adminactionevent_changelist")).content.decode()
    assert str(person) in trail and str(staff) in trail


def test_admin_action_survives_the_deletion_of_its_log_entry():
    client, staff = _staff()
    person = UserFactory()
    client.post(reverse("admin:accounts_user_delete", args=[person.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=person.pk).exists()
    LogEntry.objects.all().delete()
    assert AdminActionEvent.objects.filter(user_id=staff.pk, object_repr=str(person)).exists()
