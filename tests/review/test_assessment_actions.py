"""The instruction page offers taking and deciding exactly when the workflow allows it to this reviewer."""

import pytest
from django.urls import reverse

from assessments import workflow
from assessments.models import State
from tests.accounts.helpers import reviewer_client as make_reviewer_client
from tests.assessments.lifecycle import REACHABLE, assessment_in
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

TAKE_BUTTON = "Prendre en charge l'instruction</button>"
DECIDE_BUTTON = "Enregistrer la décision</button>"
RESERVED = "seul cet instructeur peut commenter et décider"
REVIEWED = [state for state in REACHABLE if state != State.DRAFT]


@pytest.mark.parametrize("state", REVIEWED)
@pytest.mark.parametrize("viewer", ["assigned", "other"])
def test_take_and_decide_buttons_show_exactly_when_the_workflow_allows_them(viewer, state):
    assigned, other = make_reviewer_client(), make_reviewer_client()
    client = assigned if viewer == "assigned" else other
    assessment = assessment_in(state, company=CompanyFactory(), reviewer=assigned.user)
    page = client.get(reverse("review:assessments:detail", args=[assessment.public_id])).content.decode()
    page = page.replace("&#x27;", "'")
    can_take = workflow.allowed(assessment=assessment, to=State.IN_REVIEW, actor=client.user)
    can_decide = {
        target: workflow.allowed(assessment=assessment, to=target, actor=client.user)
        for target in (State.VALIDATED, State.CHANGES_REQUESTED, State.REFUSED)
    }
    assert (TAKE_BUTTON in page) is can_take
    assert can_take is (state == State.SUBMITTED)
    assert len(set(can_decide.values())) == 1  # the one form offers every decision
    assert (DECIDE_BUTTON in page) is can_decide[State.VALIDATED]
    assert can_decide[State.VALIDATED] is (state == State.IN_REVIEW and viewer == "assigned")
    assert (RESERVED in page) is (state == State.IN_REVIEW and viewer == "other")
