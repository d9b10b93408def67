"""Every e-mailed link is built from SITE_URL, whatever Host header the request carried."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import Role
from tests.accounts.factories import UserFactory
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import AccountRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://convergence.example"
HOSTILE_HOST = "piege.example"
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def hostile_host_allowed(settings):
    # The worst case: the forged name even passes ALLOWED_HOSTS (a wildcard, a shared front end).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOSTILE_HOST]
    settings.SITE_URL = SITE_URL


def links_of_outbox() -> list[str]:
    links = []
    for message in mail.outbox:
        for body in [message.body, *(content for content, _ in message.alternatives)]:
            links += LINK.findall(body)
    return links


def assert_every_link_on_the_site():
    links = links_of_outbox()
    assert links, "no link in the e-mails"
    assert all(link.startswith(f"{SITE_URL}/") for link in links), links
    assert not any(HOSTILE_HOST in link for link in links)


def test_password_reset_link(client):
    user = UserFactory()
    client.post(reverse("accounts:password_reset"), {"email": user.email}, HTTP_HOST=HOSTILE_HOST)
    assert len(mail.outbox) == 1
    assert_every_link_on_the_site()


def test_invitation_link(vendor_client_factory, django_capture_on_commit_callbacks):
    mandataire = vendor_client_factory(role=Role.MANDATAIRE)
    with django_capture_on_commit_callbacks(execute=True):
        mandataire.post(
            reverse("portal:members:invite"),
            {"email": "nouveau@exemple.fr", "role": Role.SALARIE},
            HTTP_HOST=HOSTILE_HOST,
        )
    assert len(mail.outbox) == 1
    assert_every_link_on_the_site()


def test_account_approval_link(reviewer_client, django_capture_on_commit_callbacks):
    request = AccountRequestFactory()
    url = reverse("review:account_requests:approve", kwargs={"public_id": request.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(url, HTTP_HOST=HOSTILE_HOST)
    assert len(mail.outbox) == 1
    assert_every_link_on_the_site()


def test_decision_notification_links(reviewer_client, django_capture_on_commit_callbacks):
    assessment = AssessmentFactory(in_review=True, reviewer=reviewer_client.user, rule_level="jaune")
    MembershipFactory(company=assessment.product_version.product.company, role=Role.MANDATAIRE)
    url = reverse("review:assessments:decide", kwargs={"public_id": assessment.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            url, {"decision": "completer", "comment": "Deux exigences à préciser."}, HTTP_HOST=HOSTILE_HOST
        )
    assert len(mail.outbox) >= 1
    assert_every_link_on_the_site()
