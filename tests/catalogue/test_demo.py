"""Demo data of the catalogue and of the API: one working API key per demo company, printed by
``load_demo`` (so ``make run`` shows it), and a few subscriptions; development only."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from apikeys import demo as apikeys_demo
from apikeys.models import ApiKey
from catalogue.models import Subscription
from companies.demo import COMPANIES
from demo.management.commands import load_demo
from tests.catalogue.factories import attest

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaders(monkeypatch):
    """``load_demo`` with the loaders these data need only (the others have their own tests)."""
    needed = ["accounts.demo", "companies.demo", "catalogue.demo", "apikeys.demo"]
    monkeypatch.setattr(load_demo, "DEMO_LOADERS", needed)


def test_load_demo_prints_one_working_api_key_per_demo_company(client, loaders):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    printed = out.getvalue()
    keys = apikeys_demo.demo_api_keys()
    assert len(keys) == len(COMPANIES) == ApiKey.objects.count()
    for company, key in keys:
        assert key in printed and company in printed
        response = client.get("/api/v1/entreprise/produits", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200, response.content
        assert ApiKey.objects.get(prefix=key[:10]).company.name == company


def test_demo_subscribes_a_few_addresses_to_the_attested_products(loaders):
    products = [attest().assessment.product_version.product for _ in range(2)]
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    subscriptions = Subscription.objects.order_by("product_id", "email")
    assert [(s.product, s.frequency) for s in subscriptions] == [
        (products[0], "hebdomadaire"),
        (products[0], "chaque"),
        (products[1], "chaque"),
    ]


def test_demo_api_keys_are_refused_outside_development(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        apikeys_demo.load(io.StringIO())
    assert not ApiKey.objects.exists()
