"""The real chain, through the broker and a real Celery worker: an attestation rendered by the worker
is announced, and the worker e-mails the product's subscribers."""

import pytest
from django.utils import timezone

from catalogue.models import DocumentNotice, Frequency, Subscription
from certificates import services
from tests.catalogue.factories import validated
from tests.certificates.test_worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("certificates-worker")]


def test_worker_renders_then_mails_the_subscribers_of_the_product(celery_worker):
    assessment = validated()
    Subscription.objects.create(
        email="suivi@hopital.example",
        product=assessment.product_version.product,
        frequency=Frequency.EACH,
        confirmed_at=timezone.now(),
    )
    certificate = services.certificate_request(assessment=assessment, kind="attestation", actor=None)
    notice = wait_for(
        lambda: DocumentNotice.objects.filter(certificate=certificate, change="issued").first(),
        timeout=90,
        message="les abonnés n'ont pas été prévenus",
    )
    assert notice.recipients == 1  # counted once the message was handed to the mail backend
    if not celery_worker.environment.get("EMAIL_URL", "consolemail://").startswith("consolemail"):
        return
    # The console backend (no EMAIL_URL) writes the worker's messages to its output.
    log = wait_for(
        lambda: (
            (text := celery_worker.log_path.read_text(errors="replace"))
            and "suivi@hopital.example" in text
            and text
        ),
        timeout=10,
        message="message absent du journal du worker",
    )
    assert "List-Unsubscribe" in log
