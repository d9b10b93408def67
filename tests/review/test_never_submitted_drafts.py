"""A draft the vendor never submitted is theirs alone: every path a reviewer has to an assessment or
to a document (the back office, document requests, status, download, revocation) answers 404, and
the back-office pages do not list it. The paths are found by walking the URL configuration, so a
page added later is covered the day it is added."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import State
from certificates import services as certificate_services
from certificates.models import Certificate
from tests.assessments.factories import AssessmentFactory, advance
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# Namespaces whose pages take an assessment or a document, and what their ``public_id`` names.
ASSESSMENT_PAGES = "review:assessments"
DOCUMENT_PAGES = "certificates"


def patterns(resolver=None, namespace=""):
    """(namespaced name, converter names) of every URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from patterns(
                pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", sorted(pattern.pattern.converters)


def paths(draft, document) -> dict[str, str]:
    """Every reviewer-reachable URL about the draft or its document."""
    urls = {}
    for name, converters in patterns():
        namespace = name.rsplit(":", 1)[0]
        if namespace == ASSESSMENT_PAGES and converters == ["public_id"]:
            urls[name] = reverse(name, kwargs={"public_id": draft.public_id})
        elif namespace == ASSESSMENT_PAGES and converters == ["certificate_id", "public_id"]:
            urls[name] = reverse(
                name, kwargs={"public_id": draft.public_id, "certificate_id": document.public_id}
            )
        elif namespace == DOCUMENT_PAGES and converters == ["public_id"]:
            urls[name] = reverse(name, kwargs={"public_id": document.public_id})
        elif namespace == DOCUMENT_PAGES and converters == ["assessment_public_id", "kind"]:
            for kind in Certificate.Kind.values:
                urls[f"{name}:{kind}"] = reverse(
                    name, kwargs={"assessment_public_id": draft.public_id, "kind": kind}
                )
    return urls


@pytest.fixture
def draft(django_capture_on_commit_callbacks):
    """A never-submitted draft with a working report its company asked for (ready to download)."""
    assessment = AssessmentFactory(mixed=True)
    member = MembershipFactory(company=assessment.product_version.product.company).user
    with django_capture_on_commit_callbacks():
        report = certificate_services.certificate_request(
            assessment=assessment, kind=Certificate.Kind.RAPPORT, actor=member
        )
    assessment.report = certificate_services.certificate_render_pdf(certificate=report)
    return assessment


PATHS = [
    "review:assessments:detail",
    "review:assessments:take",
    "review:assessments:comment",
    "review:assessments:decide",
    "review:assessments:trail",
    "review:assessments:reissue",
    "review:assessments:revoke",
    "certificates:request:attestation",
    "certificates:request:rapport",
    "certificates:request:conformite",
    "certificates:status",
    "certificates:download",
]


def test_every_walked_path_is_tested(draft):
    assert sorted(paths(draft, draft.report)) == sorted(PATHS)


@pytest.mark.parametrize("name", PATHS)
def test_reviewer_gets_404_for_a_never_submitted_draft(reviewer_client, draft, name):
    url = paths(draft, draft.report)[name]
    assert reviewer_client.get(url).status_code in (404, 405), url
    assert reviewer_client.get(url, HTTP_HX_REQUEST="true").status_code in (404, 405), url
    response = reviewer_client.post(url, {"reason": "Motif", "decision": "valider", "body": "Commentaire"})
    assert response.status_code in (404, 405), url
    assert 404 in (reviewer_client.get(url).status_code, response.status_code), url
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert Certificate.objects.filter(assessment=draft).count() == 1
    assert not Certificate.objects.get(assessment=draft).is_revoked


def test_the_company_still_reaches_its_draft_report(vendor_client_factory, draft):
    member = vendor_client_factory(company=draft.product_version.product.company)
    assert member.get(reverse("certificates:download", args=[draft.report.public_id])).status_code == 200


def test_once_submitted_the_reviewer_reaches_it(reviewer_client, draft):
    advance(draft, to=State.SUBMITTED)
    assert (
        reviewer_client.get(reverse("review:assessments:detail", args=[draft.public_id])).status_code == 200
    )
    assert (
        reviewer_client.get(reverse("certificates:status", args=[draft.report.public_id])).status_code == 200
    )


def test_the_instruction_page_of_another_version_does_not_list_the_draft_or_its_documents(
    reviewer_client, draft
):
    submitted = AssessmentFactory(
        submitted=True, mixed=True, product_version__product=draft.product_version.product
    )
    page = reviewer_client.get(
        reverse("review:assessments:detail", args=[submitted.public_id])
    ).content.decode()
    assert str(draft.public_id) not in page
    assert draft.report.display_code not in page
    assert "Aucun document émis pour ce produit." in page
