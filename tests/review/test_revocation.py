"""Reviewers revoke a document from the back office: the reviewer's assessment page lists each live
document with a link to its revocation page, a back-office page (its navigation, its breadcrumb)
that goes through the certificates service."""

from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.selectors import HistoryAction, certificate_history
from review.assessments.documents import REVOKED
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot, make_snapshot

pytestmark = pytest.mark.django_db


def ready(assessment, kind=Certificate.Kind.ATTESTATION, **fields):
    return certificate_from_snapshot(
        assessment=assessment,
        snapshot=make_snapshot(kind=kind),
        status=Certificate.Status.READY,
        file=f"certificates/2026/03/{kind}.pdf",
        rendered_at=timezone.now(),
        **fields,
    )


def revoke_url(certificate):
    return reverse(
        "review:assessments:revoke", args=[certificate.assessment.public_id, certificate.public_id]
    )


def detail_url(assessment):
    return reverse("review:assessments:detail", args=[assessment.public_id])


def test_the_assessment_page_links_each_live_document_to_its_revocation(reviewer_client):
    assessment = AssessmentFactory(validated=True, mixed=True)
    attestation = ready(assessment)
    revoked = ready(
        assessment,
        kind=Certificate.Kind.RAPPORT,
        revoked_at=timezone.now(),
        revocation_reason="Retiré",
    )
    page = reviewer_client.get(detail_url(assessment)).content.decode()
    assert revoke_url(attestation) in page
    assert revoke_url(revoked) not in page


def test_the_revocation_page_is_a_back_office_page(reviewer_client, django_assert_max_num_queries):
    assessment = AssessmentFactory(validated=True, mixed=True)
    attestation = ready(assessment)
    with django_assert_max_num_queries(12):
        response = reviewer_client.get(revoke_url(attestation))
    page = response.content.decode()
    assert response.status_code == 200
    evaluations = reverse("review:assessments:list")
    assert f'href="{evaluations}" aria-current="page"' in page  # the back-office navigation
    assert f'href="{detail_url(assessment)}"' in page  # the breadcrumb back to the assessment
    assert attestation.display_code in page


def test_reviewer_revokes_through_the_back_office(reviewer_client):
    assessment = AssessmentFactory(validated=True, mixed=True)
    attestation = ready(assessment)
    response = reviewer_client.post(revoke_url(attestation), {"reason": "Déclaration inexacte"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{detail_url(assessment)}#documents"
    assert escape(REVOKED) in response.content.decode()
    attestation.refresh_from_db()
    assert attestation.is_revoked and attestation.revoked_by == reviewer_client.user
    assert HistoryAction.REVOKED in [e.action for e in certificate_history(certificate=attestation)]


def test_a_document_of_another_assessment_is_a_404(reviewer_client):
    assessment, other = (
        AssessmentFactory(validated=True, mixed=True),
        AssessmentFactory(validated=True, mixed=True),
    )
    attestation = ready(other)
    url = reverse("review:assessments:revoke", args=[assessment.public_id, attestation.public_id])
    assert reviewer_client.post(url, {"reason": "Motif"}).status_code == 404
    attestation.refresh_from_db()
    assert not attestation.is_revoked


def test_an_already_revoked_document_says_so(reviewer_client):
    attestation = ready(
        AssessmentFactory(validated=True, mixed=True), revoked_at=timezone.now(), revocation_reason="Retiré"
    )
    response = reviewer_client.get(revoke_url(attestation))
    assert "Ce document a déjà été révoqué" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_the_document_page_sends_reviewers_to_the_back_office(reviewer_client):
    attestation = ready(AssessmentFactory(validated=True, mixed=True))
    page = reviewer_client.get(reverse("certificates:status", args=[attestation.public_id])).content.decode()
    assert revoke_url(attestation) in page
