"""Assessments brought to each state of the lifecycle through the services, as in production."""

from assessments.models import State
from tests.assessments.factories import QUALIFIED, AssessmentFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

REACHABLE = [
    State.DRAFT,
    State.SUBMITTED,
    State.IN_REVIEW,
    State.VALIDATED,
    State.CHANGES_REQUESTED,
    State.REFUSED,
]
# The factory trait that reaches each state.
TRAITS = {
    State.DRAFT: "answered",
    State.SUBMITTED: "submitted",
    State.IN_REVIEW: "in_review",
    State.VALIDATED: "validated",
    State.CHANGES_REQUESTED: "changes_requested",
    State.REFUSED: "refused",
}


def assessment_in(state, *, company, reviewer=None):
    """A complete assessment of ``company`` in ``state``; ``reviewer`` takes it (a new one by default)."""
    product_version = ProductVersionFactory(product=ProductFactory(company=company))
    assessment = AssessmentFactory(
        product_version=product_version, qualification=QUALIFIED, reviewer=reviewer, **{TRAITS[state]: True}
    )
    assert assessment.state == state
    return assessment
