"""Revoking an attestation e-mails the company's mandataires and représentants once committed."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from tests.accounts.factories import UserFactory
from tests.assessments.factories import AssessmentFactory
from tests.certificates.snapshots import certificate_from_snapshot, make_snapshot
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attestation():
    assessment = AssessmentFactory(validated=True, mixed=True)
    return certificate_from_snapshot(
        assessment=assessment, snapshot=make_snapshot(kind=Certificate.Kind.ATTESTATION)
    )


def test_revoking_an_attestation_emails_the_company(attestation, django_capture_on_commit_callbacks):
    company = attestation.company
    mandataire = attestation.assessment.submissions.get().submitted_by  # a mandataire submitted it
    representant = MembershipFactory(company=company, representant=True)
    MembershipFactory(company=company)  # a salarié is not told
    MembershipFactory(company=company, mandataire=True, inactive=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(
            certificate=attestation, actor=UserFactory(reviewer=True), reason="Déclaration inexacte."
        )

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [mandataire.email, representant.user.email]
    )
    message = mail.outbox[0]
    product = attestation.snapshot["product"]["display_name"]
    assert message.subject == f"Convergence : attestation d'auto-évaluation révoquée pour {product}"
    assert "Déclaration inexacte." in message.body
    assert attestation.display_code in message.body
    product_page = reverse(
        "portal:products:detail",
        kwargs={"public_id": attestation.assessment.product_version.product.public_id},
    )
    assert product_page in message.body
    assert message.alternatives[0][1] == "text/html"


def test_the_email_dates_the_revocation_in_paris(
    attestation, django_capture_on_commit_callbacks, monkeypatch
):
    MembershipFactory(company=attestation.company, mandataire=True)
    monkeypatch.setattr(
        services.timezone, "now", lambda: datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )  # 2 March in Paris
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=attestation, actor=None, reason="Erreur.")
    assert "révoqué le 2 mars 2026" in mail.outbox[0].body


def test_a_rolled_back_revocation_sends_nothing(attestation, django_capture_on_commit_callbacks):
    # The company's one mandataire is the one who submitted the assessment.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.certificate_revoke(certificate=attestation, actor=None, reason="Erreur.")
    # Two actions wait for the commit (the company's mail, the subscribers' announcement): none ran.
    assert mail.outbox == [] and len(callbacks) == 2
