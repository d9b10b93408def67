import io

import pytest
from django.core.management import call_command

from certificates import demo
from certificates.models import Certificate
from tests.assessments.factories import AssessmentFactory

# The demo deposits files as an upload would: a temporary file left for the garbage collector to
# delete (after the storage moved it) is an error, not a warning.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]


def test_demo_does_nothing_without_a_validated_assessment(django_capture_on_commit_callbacks):
    AssessmentFactory(mixed=True)
    with django_capture_on_commit_callbacks():
        assert demo.load(io.StringIO()) == []
    assert not Certificate.objects.exists()


def test_demo_requests_the_attestation_once(django_capture_on_commit_callbacks):
    assessment = AssessmentFactory(validated=True, mixed=True)
    stdout = io.StringIO()
    with django_capture_on_commit_callbacks():
        demo.load(stdout)
        demo.load(stdout)
    certificate = Certificate.objects.get()
    assert (certificate.assessment, certificate.kind) == (assessment, "attestation")
    assert f"/verifier/{certificate.display_code}" in stdout.getvalue()


def test_load_demo_issues_the_attestation_of_the_validated_demo_assessment(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks():
        call_command("load_demo", stdout=io.StringIO())
        call_command("load_demo", stdout=io.StringIO())
    attestations = Certificate.objects.filter(kind="attestation")
    assert attestations.count() >= 1
    assert all(c.assessment.state == "validated" for c in attestations)
