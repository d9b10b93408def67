"""Writes on products and their versions. Uniqueness (name + OS + device, ignoring case and accents)
is checked here for a clear message and enforced by the database (``products_product_identity_unique``)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from products import selectors
from products.models import Product, ProductVersion, identity_key, variant_labels, without_variant_words

PRODUCT_DUPLICATE = (
    "L'entreprise a déjà un produit « {name} » (même nom, système et support, sans tenir compte des "
    "majuscules ni des accents). Modifiez ce produit, ou distinguez le nom, le système ou le support."
)
VERSION_DUPLICATE = "La version « {label} » existe déjà pour ce produit."
PRODUCT_IDENTITY_LOCKED = (
    "Une évaluation de ce produit a été validée par l'agence : son nom, son système, son support et son "
    "nom commercial figurent sur l'attestation et ne peuvent plus être modifiés. Pour un produit "
    "renommé ou une autre variante, enregistrez un nouveau produit. La description, le numéro NIL et "
    "les certifications restent modifiables."
)
VERSION_LABEL_LOCKED = (
    "Une évaluation de cette version a été validée par l'agence : son libellé figure sur l'attestation "
    "et ne peut plus être modifié. Pour une autre édition du produit, ajoutez une nouvelle version. "
    "Le statut reste modifiable."
)
OS_OTHER_REQUIRED = "Précisez le système d'exploitation."
NAME_HAS_VARIANT = (
    "Le nom du produit ne doit pas contenir {words} : le système et le support s'ajoutent d'eux-mêmes "
    "au nom affiché « [Produit] [Système] [Support] ». Saisissez le nom seul, « {name} », qui "
    "s'affichera « {display} »."
)
NAME_ONLY_VARIANT = (
    "Le nom du produit ne peut pas se réduire à {words} : le système et le support s'ajoutent "
    "d'eux-mêmes au nom affiché. Saisissez le nom du produit."
)

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
# What an attestation names (with the version label): frozen once an assessment is validated.
IDENTITY_FIELDS = ("name", "os", "os_other", "device", "commercial_name")


def _normalise(fields: dict) -> dict:
    data = {name: (fields.get(name) or "").strip() for name in PRODUCT_FIELDS}
    if data["os"] != Product.OS.OTHER:
        data["os_other"] = ""
    elif not data["os_other"]:
        raise ValidationError({"os_other": OS_OTHER_REQUIRED})
    _check_name(data)
    return data


def _check_name(data: dict) -> None:
    """The name holds the name only: the OS or device chosen, typed in it too, is refused."""
    labels = variant_labels(os=data["os"], os_other=data["os_other"], device=data["device"])
    bare, found = without_variant_words(data["name"], labels)
    if not found:
        return
    words = " et ".join(f"« {label} »" for label in found)
    if not bare:
        raise ValidationError({"name": NAME_ONLY_VARIANT.format(words=words)})
    display = " ".join((bare, *(label for label in labels if label)))
    raise ValidationError({"name": NAME_HAS_VARIANT.format(words=words, name=bare, display=display)})


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
    """Update a product (fields: see ``PRODUCT_FIELDS``). Once an assessment of one of its versions
    is validated, a change of ``IDENTITY_FIELDS`` is refused (``PRODUCT_IDENTITY_LOCKED``, on each
    changed field); the other fields stay editable."""
    data = _normalise({name: fields.get(name, getattr(product, name)) for name in PRODUCT_FIELDS})
    changed = identity_changes(product=product, fields=data)
    if changed and selectors.product_identity_locked(product=product):
        raise ValidationError(dict.fromkeys(changed, PRODUCT_IDENTITY_LOCKED))
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


def identity_changes(*, product: Product, fields: dict) -> list[str]:
    """The ``IDENTITY_FIELDS`` whose value in ``fields`` (normalised) differs from the product's."""
    return [name for name in IDENTITY_FIELDS if name in fields and fields[name] != getattr(product, name)]


@transaction.atomic
def product_version_update(*, version: ProductVersion, actor, label: str, status: str) -> ProductVersion:
    """Update a version; its label is refused (``VERSION_LABEL_LOCKED``) once an assessment of it is
    validated, its status stays editable."""
    label = label.strip()
    if label != version.label and selectors.version_label_locked(version=version):
        raise ValidationError({"label": VERSION_LABEL_LOCKED})
    version.label, version.status = label, status
    return _save_version(version)
