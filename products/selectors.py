"""Reads on products: the access helpers (scoped by active membership → 404) and the lists."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from assessments.models import Assessment
from products.models import Product, ProductVersion, identity_key


def _member_filter(user, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}company__memberships__user": user,
            f"{prefix}company__memberships__is_active": True,
            f"{prefix}company__is_active": True,
        }
    )


def product_for_member(*, user, public_id, with_versions: bool = False) -> Product:
    """A product of one of the user's companies; 404 for anyone else. ``with_versions`` preloads what
    the product page shows: versions (newest first), each with its assessments and questionnaire."""
    products = Product.objects.select_related("company").filter(_member_filter(user))
    if with_versions:
        assessments = Assessment.objects.select_related("questionnaire_version__questionnaire").order_by(
            "-created_at"
        )
        versions = ProductVersion.objects.order_by("-created_at").prefetch_related(
            Prefetch("assessments", queryset=assessments)
        )
        products = products.prefetch_related(Prefetch("versions", queryset=versions))
    return get_object_or_404(products, public_id=public_id)


def product_version_for_member(*, user, public_id) -> ProductVersion:
    versions = ProductVersion.objects.select_related("product__company").filter(
        _member_filter(user, "product__")
    )
    return get_object_or_404(versions, public_id=public_id)


def _latest_assessment(field: str) -> Subquery:
    latest = Assessment.objects.filter(product_version__product=OuterRef("pk")).order_by("-created_at", "-pk")
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
