import factory

from products.models import Product, ProductVersion, identity_key
from tests.companies.factories import CompanyFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Dossier Patient {n}")
    os = Product.OS.LINUX
    os_other = ""
    device = Product.Device.WEB
    description = "Logiciel de gestion du dossier patient en cabinet."
    identity = factory.LazyAttribute(
        lambda product: identity_key(
            name=product.name, os=product.os, os_other=product.os_other, device=product.device
        )
    )


class ProductVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVersion

    product = factory.SubFactory(ProductFactory)
    label = factory.Sequence(lambda n: f"{n}.0")
