"""The attestation and the full report are reachable from the vendor's and the reviewer's pages of
the assessment: each document links to its page and, once rendered, to its PDF."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from companies.models import Role
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot, make_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents():
    assessment = AssessmentFactory(validated=True, mixed=True)
    attestation = certificate_from_snapshot(
        assessment=assessment,
        snapshot=make_snapshot(kind=Certificate.Kind.ATTESTATION),
        status=Certificate.Status.READY,
        file="certificates/2026/03/attestation.pdf",
        rendered_at=timezone.now(),
    )
    report = certificate_from_snapshot(
        assessment=assessment, snapshot=make_snapshot(kind=Certificate.Kind.RAPPORT)
    )
    return assessment, attestation, report


def test_vendor_assessment_page_links_its_documents(vendor_client_factory, documents):
    assessment, attestation, report = documents
    client = vendor_client_factory(role=Role.SALARIE, company=assessment.product_version.product.company)
    page = client.get(reverse("portal:assessments:detail", args=[assessment.public_id])).content.decode()
    assert reverse("certificates:status", args=[attestation.public_id]) in page
    assert reverse("certificates:download", args=[attestation.public_id]) in page
    assert reverse("certificates:status", args=[report.public_id]) in page  # pending: its page shows progress
    assert reverse("certificates:download", args=[report.public_id]) not in page
    assert reverse("certificates:request", args=[assessment.public_id, "rapport"]) in page


def test_reviewer_assessment_page_links_its_documents(reviewer_client, documents):
    assessment, attestation, report = documents
    page = reviewer_client.get(
        reverse("review:assessments:detail", args=[assessment.public_id])
    ).content.decode()
    assert reverse("certificates:status", args=[attestation.public_id]) in page
    assert reverse("certificates:download", args=[attestation.public_id]) in page
    assert reverse("certificates:status", args=[report.public_id]) in page
