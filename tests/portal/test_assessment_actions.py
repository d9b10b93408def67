"""The vendor's overview offers submitting exactly when the workflow allows it to this member."""

import pytest
from django.urls import reverse

from assessments import workflow
from assessments.models import State
from companies.models import Role
from tests.assessments.lifecycle import REACHABLE, assessment_in
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

SUBMIT_BUTTON = "Soumettre l'évaluation</button>"
RESERVED = "Seuls le mandataire et les représentants de l'entreprise peuvent soumettre"
SUBMITTABLE = {State.DRAFT, State.CHANGES_REQUESTED}


@pytest.mark.parametrize("state", REACHABLE)
@pytest.mark.parametrize("role", [Role.MANDATAIRE, Role.REPRESENTANT, Role.SALARIE])
def test_submit_button_shows_exactly_when_the_workflow_allows_it(vendor_client_factory, role, state):
    company = CompanyFactory()
    client = vendor_client_factory(role=role, company=company)
    assessment = assessment_in(state, company=company)
    page = client.get(reverse("portal:assessments:detail", args=[assessment.public_id])).content.decode()
    page = page.replace("&#x27;", "'")
    allowed = workflow.allowed(
        assessment=assessment, to=State.SUBMITTED, actor=client.user, membership=client.membership
    )
    assert (SUBMIT_BUTTON in page) is allowed
    assert allowed is (role != Role.SALARIE and state in SUBMITTABLE)
    # A salarié is told who may submit, only where submitting is possible at all.
    assert (RESERVED in page) is (role == Role.SALARIE and state in SUBMITTABLE)
