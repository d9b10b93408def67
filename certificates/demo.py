"""Development-only demo certificates: the attestation of every validated demo assessment.

Runs after ``assessments.demo``. Requesting is idempotent (unchanged data returns the existing
document), so loading twice makes nothing new; with no validated assessment it does nothing. The PDF
is rendered by the Celery worker once it runs; the verification page works as soon as it is ready.
"""

from django.conf import settings

from accounts.demo import REVIEWER_EMAIL
from accounts.models import User
from assessments.models import Assessment
from certificates import services
from certificates.models import Certificate
from questionnaires.models import Questionnaire


def load(stdout) -> list[tuple[str, str]]:
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    # The questionnaires of a DMN candidature end in its certificate of conformity (``dmn.demo``).
    validated = Assessment.objects.filter(
        state=Assessment.State.VALIDATED,
        questionnaire_version__questionnaire__theme__in=Questionnaire.SELF_ASSESSMENT_THEMES,
    ).order_by("pk")
    for assessment in validated:
        certificate = services.certificate_request(
            assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=reviewer
        )
        url = f"{settings.SITE_URL.rstrip('/')}/verifier/{certificate.display_code}"
        stdout.write(
            f"Attestation de démonstration : {certificate.snapshot['product']['display_name']}, {url}"
        )
    return []
