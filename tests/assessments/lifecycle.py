"""Assessments brought to each state of the lifecycle through the services, as in production."""

from assessments import services
from assessments.models import State
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill
from tests.companies.factories import MembershipFactory, UserFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

REACHABLE = [
    State.DRAFT,
    State.SUBMITTED,
    State.IN_REVIEW,
    State.VALIDATED,
    State.CHANGES_REQUESTED,
    State.REFUSED,
]
_DECISIONS = {
    State.VALIDATED: lambda assessment, reviewer: services.assessment_validate(
        assessment=assessment, actor=reviewer
    ),
    State.CHANGES_REQUESTED: lambda assessment, reviewer: services.assessment_request_changes(
        assessment=assessment, actor=reviewer, comment="Précisez A08.4.1."
    ),
    State.REFUSED: lambda assessment, reviewer: services.assessment_refuse(
        assessment=assessment, actor=reviewer, comment="Hors périmètre."
    ),
}


def assessment_in(state, *, company, reviewer=None):
    """A complete assessment of ``company`` in ``state``; ``reviewer`` takes it (a new one by default)."""
    product_version = ProductVersionFactory(product=ProductFactory(company=company))
    assessment = AssessmentFactory(product_version=product_version, qualification=QUALIFIED)
    fill(assessment)
    if state == State.DRAFT:
        return assessment
    submitter = MembershipFactory(company=company, mandataire=True).user
    services.assessment_submit(assessment=assessment, actor=submitter)
    if state == State.SUBMITTED:
        return assessment
    reviewer = reviewer or UserFactory(reviewer=True)
    services.assessment_take(assessment=assessment, actor=reviewer)
    if state in _DECISIONS:
        _DECISIONS[state](assessment, reviewer)
    assessment.refresh_from_db()
    assert assessment.state == state
    return assessment
