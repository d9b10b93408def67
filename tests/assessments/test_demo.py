"""The demo data of products and assessments: what the issue asks, made through the workflow, idempotent."""

import io
from importlib import import_module

import pytest

from assessments.demo import ALPHA, BETA
from assessments.models import Assessment, State, Transition
from assessments.selectors import assessment_progress
from products.models import Product

pytestmark = pytest.mark.django_db
LOADERS = ["questionnaires.demo", "accounts.demo", "companies.demo", "products.demo", "assessments.demo"]


def load_all():
    for name in LOADERS:
        import_module(name).load(io.StringIO())


def test_each_company_has_products_a_submitted_assessment_and_a_half_filled_draft():
    load_all()
    for siren in (ALPHA, BETA):
        assert Product.objects.filter(company__siren=siren).count() >= 3
        assessments = Assessment.objects.filter(product_version__product__company__siren=siren)
        submitted = assessments.get(
            state=State.SUBMITTED,
            submissions__number=1,
            product_version__product__name__in=["BioCompte", "Passerelle Documents"],
        )
        assert assessment_progress(submitted)["percent"] == 100
        draft = assessments.get(state=State.DRAFT)
        assert 40 <= assessment_progress(draft)["percent"] <= 60


def test_one_assessment_is_validated_by_the_demo_reviewer_through_the_workflow():
    load_all()
    validated = Assessment.objects.get(state=State.VALIDATED)
    assert validated.reviewer.email == "instructeur@agence.example"
    steps = list(Transition.objects.filter(assessment=validated).values_list("to_state", flat=True))
    assert steps == [State.SUBMITTED, State.IN_REVIEW, State.VALIDATED]
    assert validated.reached_profiles


def test_loading_twice_changes_nothing():
    load_all()
    counts = (Product.objects.count(), Assessment.objects.count(), Transition.objects.count())
    load_all()
    assert (Product.objects.count(), Assessment.objects.count(), Transition.objects.count()) == counts
