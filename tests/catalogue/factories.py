"""Listed documents for catalogue tests: real attestations of validated assessments, and many of
them at once (bulk rows copied from one real snapshot) for the query-count and benchmark runs."""

import copy
from datetime import timedelta

from django.utils import timezone

from assessments.models import Assessment
from certificates.models import Certificate
from certificates.services import certificate_request
from certificates.snapshot import assessment_snapshot, snapshot_sha256
from companies.models import Company
from products.models import Product, ProductVersion
from tests.assessments.factories import QUALIFIED, AssessmentFactory, questionnaire_version
from tests.certificates.snapshots import certificate_from_snapshot
from tests.companies.factories import siren_with_luhn

SECRET_COMMENT = "Commentaire confidentiel de l'éditeur"
# A connector feeding the DMP: on the three items of these tests, it reaches Alimentation only.
CONNECTOR = QUALIFIED | {"connecteur_tiers": True}


def validated(**kwargs) -> Assessment:
    """A validated assessment of three items (mixed answers, the ``CONNECTOR`` qualification)."""
    return AssessmentFactory(validated=True, mixed=True, items=3, qualification=CONNECTOR, **kwargs)


def attest(assessment: Assessment | None = None, *, revoked: bool = False, **kwargs) -> Certificate:
    """A ready attestation of ``assessment`` (a new validated one by default), frozen as the request
    service freezes it; revoked when asked."""
    if assessment is None:
        company = kwargs.pop("company", None)
        if company is not None:
            kwargs["product_version__product__company"] = company
        assessment = validated(**kwargs)
    snapshot = assessment_snapshot(assessment=assessment, kind=Certificate.Kind.ATTESTATION)
    now = timezone.now()
    extra = {"revoked_at": now, "revocation_reason": "Preuve d'interopérabilité retirée."} if revoked else {}
    return certificate_from_snapshot(
        assessment=assessment,
        snapshot=snapshot,
        status=Certificate.Status.READY,
        file="certificates/attestation.pdf",
        rendered_at=now,
        **extra,
    )


def requested(assessment: Assessment | None = None) -> Certificate:
    """The attestation of ``assessment`` (a new validated one by default) as the company requests it:
    pending until rendered."""
    assessment = assessment or validated()
    return certificate_request(assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=None)


def bulk_attestations(count: int, *, names=None) -> list[Certificate]:
    """``count`` listed products (one company, product, version, validated assessment and ready
    attestation each), in a few bulk inserts; ``names`` gives the products' names."""
    template = attest()
    version = questionnaire_version(items=3)
    stamp = timezone.now()
    suffix = f"{Company.objects.count():06d}"
    companies = Company.objects.bulk_create(
        Company(
            siren=siren_with_luhn(f"{(int(suffix) * 1000 + index) % 10**8:08d}"),
            name=f"Éditeur {suffix}-{index}",
        )
        for index in range(count)
    )
    names = names or [f"Logiciel {suffix}-{index}" for index in range(count)]
    products = Product.objects.bulk_create(
        Product(
            company=company,
            name=name,
            os="linux",
            device="site_web",
            identity=f"{name}|linux||site_web".lower(),
        )
        for company, name in zip(companies, names, strict=True)
    )
    versions = ProductVersion.objects.bulk_create(
        ProductVersion(product=product, label="1.0") for product in products
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            product_version=product_version,
            questionnaire_version=version,
            state=Assessment.State.VALIDATED,
            validated_at=stamp,
        )
        for product_version in versions
    )
    certificates = []
    for index, (company, product, assessment) in enumerate(
        zip(companies, products, assessments, strict=True)
    ):
        snapshot = copy.deepcopy(template.snapshot)
        snapshot["company"] = {"name": company.name, "siren": company.siren}
        snapshot["product"] = {"display_name": f"{product.name} Linux Site Web", "commercial_name": ""}
        certificates.append(
            Certificate(
                kind=Certificate.Kind.ATTESTATION,
                status=Certificate.Status.READY,
                company=company,
                assessment=assessment,
                snapshot=snapshot,
                snapshot_sha256=snapshot_sha256(snapshot),
                template_version="2026.1",
                file="certificates/attestation.pdf",
                rendered_at=stamp - timedelta(minutes=index),
            )
        )
    return Certificate.objects.bulk_create(certificates)
