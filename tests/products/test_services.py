"""Product services: identity (name + OS + device, case- and accent-insensitive), versions."""

import pytest
from django.core.exceptions import ValidationError

from products import services
from products.models import Product
from tests.companies.factories import CompanyFactory
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db

FIELDS = {"name": " Agenda Santé ", "os": "android", "device": "mobile"}


def test_create_normalises_and_sets_the_identity():
    product = services.product_create(company=CompanyFactory(), actor=None, **FIELDS)
    assert product.name == "Agenda Santé"
    assert product.identity == "agenda sante|android||mobile"
    assert product.display_name == "Agenda Santé Android Mobile"


def test_duplicate_is_refused_whatever_the_case_and_accents():
    company = CompanyFactory()
    services.product_create(company=company, actor=None, **FIELDS)
    with pytest.raises(ValidationError) as error:
        services.product_create(company=company, actor=None, **FIELDS | {"name": "AGENDA SANTE"})
    assert error.value.message_dict["name"] == [
        services.PRODUCT_DUPLICATE.format(name="AGENDA SANTE Android Mobile")
    ]
    assert Product.objects.filter(company=company).count() == 1


def test_another_company_may_use_the_same_name():
    services.product_create(company=CompanyFactory(), actor=None, **FIELDS)
    services.product_create(company=CompanyFactory(), actor=None, **FIELDS)
    assert Product.objects.count() == 2


def test_other_os_is_required_with_autre_and_dropped_otherwise():
    company = CompanyFactory()
    with pytest.raises(ValidationError):
        services.product_create(company=company, actor=None, **FIELDS | {"os": "autre"})
    product = services.product_create(company=company, actor=None, **FIELDS | {"os_other": "Tizen"})
    assert product.os_other == ""


def test_update_recomputes_the_identity():
    product = ProductFactory(name="Agenda")
    services.product_update(product=product, actor=None, name="Agenda Pro")
    product.refresh_from_db()
    assert product.identity.startswith("agenda pro|")


def test_version_labels_are_unique_per_product_ignoring_case():
    product = ProductFactory()
    services.product_version_create(product=product, actor=None, label="V2")
    with pytest.raises(ValidationError):
        services.product_version_create(product=product, actor=None, label="v2")
