from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo as accounts_demo
from accounts.demo import REVIEWER_EMAIL, REVIEWER_TOTP_SECRET, demo_totp_code
from accounts.models import User
from companies import demo as companies_demo
from companies.models import AccountRequest, Company, Membership
from core.demo import DEMO_PASSWORD

# The demo deposits files as an upload would: a temporary file left for the garbage collector to
# delete (after the storage moved it) is an error, not a warning.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]


def test_demo_is_idempotent_and_complete():
    for _ in range(2):
        accounts_demo.load(StringIO())
        companies_demo.load(StringIO())
    assert Company.objects.count() == 2
    for company in Company.objects.all():
        roles = sorted(
            company.memberships.exclude(user__email__startswith="consultante").values_list("role", flat=True)
        )
        assert roles == ["mandataire", "representant", "salarie"]
    assert Membership.objects.filter(user__email="consultante@conseil.example").count() == 2
    assert AccountRequest.objects.filter(status="pending").count() == 1
    assert User.objects.get(email="mandataire@alpha.example").check_password(DEMO_PASSWORD)


def test_demo_reviewer_logs_in_with_the_documented_totp_secret(client):
    accounts_demo.load(StringIO())
    device = TOTPDevice.objects.get(user__email=REVIEWER_EMAIL)
    assert device.confirmed and REVIEWER_TOTP_SECRET
    response = client.post("/compte/connexion/", {"username": REVIEWER_EMAIL, "password": DEMO_PASSWORD})
    response = client.get(response.url)
    assert response.url.startswith("/compte/double-authentification/verifier/")
    client.post("/compte/double-authentification/verifier/", {"token": demo_totp_code()})
    client.post("/compte/conditions-generales/", {"accept": "on"})
    assert client.get("/instruction/demandes-de-compte/").status_code == 200


def test_load_demo_command_lists_the_accounts():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "mandataire@beta.example" in out.getvalue() and REVIEWER_EMAIL in out.getvalue()
