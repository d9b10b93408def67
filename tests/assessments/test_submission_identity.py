"""Every submission freezes the identity its documents state (``Submission.identity``); submissions
written before the field existed get it from the migration that added it."""

import importlib

import pytest
from django.apps import apps

from assessments.models import Submission
from assessments.selectors import assessment_identity, assessment_with_identity
from products.models import Product
from tests.assessments.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("assessments.migrations.0003_submission_identity")


def test_submitting_freezes_company_product_version_and_questionnaire():
    assessment = AssessmentFactory(submitted=True)
    identity = Submission.objects.get(assessment=assessment).identity
    product = assessment.product_version.product
    assert identity["company"] == {"name": product.company.name, "siren": product.company.siren}
    assert identity["product"]["display_name"] == product.display_name
    assert identity["version"] == {"label": assessment.product_version.label}
    assert identity["questionnaire"]["version"] == assessment.questionnaire_version.number


@pytest.mark.parametrize("os", [Product.OS.WINDOWS, Product.OS.OTHER])
def test_the_migration_freezes_earlier_submissions_as_the_service_does(os):
    assessment = AssessmentFactory(submitted=True)
    Product.objects.filter(pk=assessment.product_version.product_id).update(
        os=os, os_other="FreeBSD" if os == Product.OS.OTHER else ""
    )
    Submission.objects.filter(assessment=assessment).update(identity={})

    migration.freeze_existing(apps, None)

    expected = assessment_identity(assessment_with_identity(assessment))
    assert Submission.objects.get(assessment=assessment).identity == expected
