"""Reads on products: the access helpers (scoped by active membership → 404) and the lists."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from companies.selectors import member_of, of_member
from products.models import Product, ProductVersion, identity_key

# Assessments sit above products and are never imported here: they are reached through the reverse
# relation of their foreign key to ProductVersion. The state that puts a product on an attestation is
# named by its stored value (a test pins it to ``assessments.models.State.VALIDATED``).
VALIDATED = "validated"


def _assessments():
    """The assessments' default manager, found through ``ProductVersion.assessments``."""
    return ProductVersion._meta.get_field("assessments").related_model._default_manager


def product_for_member(*, user, public_id, with_versions: bool = False) -> Product:
    """A product of a company where ``user`` is an active member, with that membership as
    ``membership`` (``companies.selectors.of_member``); 404 for anyone else. ``with_versions``
    preloads what the product page shows: versions (newest first), each with its assessments and
    questionnaire."""
    products = of_member(Product.objects, user, company="company")
    if with_versions:
        assessments = (
            _assessments().select_related("questionnaire_version__questionnaire").order_by("-created_at")
        )
        versions = ProductVersion.objects.order_by("-created_at").prefetch_related(
            Prefetch("assessments", queryset=assessments)
        )
        products = products.prefetch_related(Prefetch("versions", queryset=versions))
    product = get_object_or_404(products, public_id=public_id)
    product.membership = member_of(product, company="company")
    return product


def product_version_for_member(*, user, public_id) -> ProductVersion:
    """A version of a product of a company where ``user`` is an active member (see
    ``product_for_member``), with its product; 404 for anyone else."""
    versions = of_member(ProductVersion.objects, user, company="product__company")
    version = get_object_or_404(versions, public_id=public_id)
    version.membership = member_of(version, company="product__company")
    return version


def product_identity_locked(*, product: Product) -> bool:
    """Whether an assessment of one of the product's versions has been validated: its name, OS,
    device and commercial name then figure on an attestation and may no longer change."""
    return product.versions.filter(assessments__state=VALIDATED).exists()


def version_label_locked(*, version: ProductVersion) -> bool:
    """Whether an assessment of the version has been validated (its label is on an attestation)."""
    return version.assessments.filter(state=VALIDATED).exists()


def _latest_assessment(field: str) -> Subquery:
    latest = _assessments().filter(product_version__product=OuterRef("pk")).order_by("-created_at", "-pk")
    return Subquery(latest.values(field)[:1])


def company_products(*, company, search: str = "") -> QuerySet[Product]:
    """The company's products by name, each annotated with its latest assessment's state and
    reached profiles (``latest_state``, ``latest_profiles``): one query per page whatever the rows.

    ``search`` matches the name, OS and device ignoring case and accents, or the commercial name.
    """
    products = Product.objects.filter(company=company).annotate(
        latest_state=_latest_assessment("state"),
        latest_profiles=_latest_assessment("reached_profiles"),
    )
    if search := search.strip():
        normalised = identity_key(name=search, os="", os_other="", device="").strip("| ").strip()
        products = products.filter(Q(identity__contains=normalised) | Q(commercial_name__icontains=search))
    return products.order_by("name", "os", "device", "pk")
