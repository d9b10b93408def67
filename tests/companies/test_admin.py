import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import TOTPDeviceFactory
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.companies.factories import AccountRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "companies_company",
        "companies_accountrequest",
        "companies_invitation",
        "accounts_termsversion",
        "accounts_termsacceptance",
        "accounts_user",
    ],
)
def test_admin_lists_open(client, model):
    MembershipFactory()
    AccountRequestFactory()
    admin = User.objects.create_superuser("admin@exemple.fr", "Mot-de-passe-admin-2026")
    accept_current_terms(admin)
    # The admin site wants the second factor passed in the session.
    verified_login(client, admin, TOTPDeviceFactory(user=admin))
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
