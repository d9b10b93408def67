"""Writes on products and their versions. Uniqueness (name + OS + device, ignoring case and accents)
is checked here for a clear message and enforced by the database (``products_product_identity_unique``)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from products.models import Product, ProductVersion, identity_key

PRODUCT_DUPLICATE = (
    "L'entreprise a déjà un produit « {name} » (même nom, système et support, sans tenir compte des "
    "majuscules ni des accents). Modifiez ce produit, ou distinguez le nom, le système ou le support."
)
VERSION_DUPLICATE = "La version « {label} » existe déjà pour ce produit."
OS_OTHER_REQUIRED = "Précisez le système d'exploitation."

PRODUCT_FIELDS = (
    "name",
    "os",
    "os_other",
    "device",
    "commercial_name",
    "description",
    "nil_number",
    "certifications",
)
VERSION_FIELDS = ("label", "status")


def _normalise(fields: dict) -> dict:
    data = {name: (fields.get(name) or "").strip() for name in PRODUCT_FIELDS}
    if data["os"] != Product.OS.OTHER:
        data["os_other"] = ""
    elif not data["os_other"]:
        raise ValidationError({"os_other": OS_OTHER_REQUIRED})
    return data


def _identity(data: dict) -> str:
    return identity_key(name=data["name"], os=data["os"], os_other=data["os_other"], device=data["device"])


def product_duplicate(*, company, fields: dict, exclude_pk: int | None = None) -> Product | None:
    """The company's product that ``fields`` would duplicate, if any."""
    data = _normalise(fields)
    return Product.objects.filter(company=company, identity=_identity(data)).exclude(pk=exclude_pk).first()


def _save(product: Product) -> Product:
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as error:
        raise ValidationError({"name": PRODUCT_DUPLICATE.format(name=product.display_name)}) from error
    return product


@transaction.atomic
def product_create(*, company, actor, **fields) -> Product:
    """Create a product of ``company`` (fields: see ``PRODUCT_FIELDS``); duplicates refused."""
    data = _normalise(fields)
    product = Product(company=company, created_by=actor, identity=_identity(data), **data)
    return _save(product)


@transaction.atomic
def product_update(*, product: Product, actor, **fields) -> Product:
    data = _normalise({name: fields.get(name, getattr(product, name)) for name in PRODUCT_FIELDS})
    for name, value in data.items():
        setattr(product, name, value)
    product.identity = _identity(data)
    return _save(product)


def _save_version(version: ProductVersion) -> ProductVersion:
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as error:
        raise ValidationError({"label": VERSION_DUPLICATE.format(label=version.label)}) from error
    return version


@transaction.atomic
def product_version_create(
    *, product: Product, actor, label: str, status: str = ProductVersion.Status.PRODUCTION
) -> ProductVersion:
    return _save_version(ProductVersion(product=product, label=label.strip(), status=status))


@transaction.atomic
def product_version_update(*, version: ProductVersion, actor, label: str, status: str) -> ProductVersion:
    version.label, version.status = label.strip(), status
    return _save_version(version)
