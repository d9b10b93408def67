"""An attestation names what the agency validated: the product, version and company as submitted,
whatever the vendor renames afterwards (through the services while the review runs, or in the rows)."""

import pytest

from assessments import services
from certificates import services as certificate_services
from certificates.models import Certificate
from instruction import services as instruction
from products import services as product_services
from products.models import Product, ProductVersion
from tests.accounts.factories import UserFactory
from tests.assessments.factories import AssessmentFactory
from tests.certificates.test_rendering import flat, pdf_text
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(django_capture_on_commit_callbacks):
    """Submitted by the mandataire, renamed by them during the review, then validated."""
    mandataire = MembershipFactory(mandataire=True)
    product = product_services.product_create(
        company=mandataire.company,
        actor=mandataire.user,
        name="Dossier Patient Ville",
        os=Product.OS.LINUX,
        device=Product.Device.WEB,
        commercial_name="Ville+",
    )
    version = product_services.product_version_create(product=product, actor=mandataire.user, label="4.2")
    assessment = AssessmentFactory(product_version=version, answered=True, level="vert")
    services.assessment_submit(assessment=assessment, actor=mandataire.user)
    reviewer = UserFactory(reviewer=True)
    services.assessment_take(assessment=assessment, actor=reviewer)
    product_services.product_update(
        product=product, actor=mandataire.user, name="Suite Hôpital", commercial_name="Hôpital Pro"
    )
    product_services.product_version_update(
        version=version, actor=mandataire.user, label="9.9", status=version.status
    )
    with django_capture_on_commit_callbacks():
        instruction.assessment_decide(
            assessment=assessment, decision=instruction.Decision.VALIDATE, actor=reviewer
        )
    return assessment


def test_attestation_issued_at_validation_states_the_submitted_identity(validated):
    certificate = Certificate.objects.get(assessment=validated, kind=Certificate.Kind.ATTESTATION)
    assert certificate.snapshot["product"] == {
        "display_name": "Dossier Patient Ville Linux Site Web",
        "commercial_name": "Ville+",
    }
    assert certificate.snapshot["version"] == {"label": "4.2"}


def test_renaming_after_validation_changes_neither_a_new_request_nor_the_pdf(
    validated, django_capture_on_commit_callbacks
):
    issued = Certificate.objects.get(assessment=validated, kind=Certificate.Kind.ATTESTATION)
    Product.objects.filter(pk=validated.product_version.product_id).update(name="Produit jamais évalué")
    ProductVersion.objects.filter(pk=validated.product_version_id).update(label="10.0")
    vendor = validated.product_version.product.company.memberships.get().user

    with django_capture_on_commit_callbacks():
        again = certificate_services.certificate_request(
            assessment=validated, kind=Certificate.Kind.ATTESTATION, actor=vendor
        )
    rendered = certificate_services.certificate_render_pdf(certificate=again)

    assert again == issued
    text = flat(" ".join(pdf_text(rendered.file.open("rb").read())))
    assert "Dossier Patient Ville Linux Site Web" in text
    assert "4.2" in text
    assert "jamais évalué" not in text and "Hôpital" not in text and "10.0" not in text and "9.9" not in text
