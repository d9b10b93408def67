"""The transition logs (an assessment's, a DMN candidature's) are the one history of a state: once
written, the database refuses to change or delete a row, whatever the write path."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from assessments.models import State, Transition
from assessments.services import assessment_take
from dmn.models import Candidature, CandidatureTransition, Grouping
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import UserFactory

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    with pytest.raises(DatabaseError, match="Cannot"), transaction.atomic():
        write()


@pytest.fixture
def logged():
    assessment = AssessmentFactory(submitted=True)
    reviewer = UserFactory(reviewer=True)
    assessment_take(assessment=assessment, actor=reviewer)
    return assessment.transitions.get(to_state=State.IN_REVIEW)


def test_a_transition_cannot_be_rewritten(logged):
    refused(lambda: Transition.objects.filter(pk=logged.pk).update(comment="Réécrit."))
    refused(lambda: Transition.objects.filter(pk=logged.pk).update(to_state=State.VALIDATED))
    refused(lambda: Transition.objects.filter(pk=logged.pk).update(at=timezone.now()))
    refused(lambda: Transition.objects.filter(pk=logged.pk).update(actor=UserFactory()))
    logged.api_key_name = "Clé inventée"
    refused(logged.save)

    assert Transition.objects.get(pk=logged.pk).to_state == State.IN_REVIEW


def test_a_transition_cannot_be_deleted(logged):
    refused(lambda: Transition.objects.filter(pk=logged.pk).delete())
    refused(lambda: Transition.objects.filter(assessment=logged.assessment)._raw_delete("default"))

    assert Transition.objects.filter(pk=logged.pk).exists()


def test_the_actor_of_a_transition_may_be_deleted_and_the_row_stays(logged):
    logged.actor.delete()

    logged.refresh_from_db()
    assert (logged.actor_id, logged.to_state) == (None, State.IN_REVIEW)


def test_a_candidature_transition_cannot_be_rewritten_or_deleted():
    referential = AssessmentFactory()
    candidature = Candidature.objects.create(
        product_version=referential.product_version, grouping=Grouping.TOGETHER, referential=referential
    )
    row = CandidatureTransition.objects.create(
        candidature=candidature, from_state=State.DRAFT, to_state=State.SUBMITTED, at=timezone.now()
    )
    rows = CandidatureTransition.objects.filter(pk=row.pk)

    refused(lambda: rows.update(to_state=State.VALIDATED))
    refused(lambda: rows.update(comment="Réécrit."))
    refused(lambda: rows.delete())
    assert rows.get().to_state == State.SUBMITTED


@pytest.mark.parametrize("table", ["assessments_transition", "dmn_candidaturetransition"])
def test_a_transition_log_is_guarded_and_not_copied_by_the_audit_trail(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table]
        )
        names = sorted(row[0].rsplit("_", 1)[0] for row in cursor.fetchall())
    prefix = (
        "pgtrigger_transition" if table == "assessments_transition" else "pgtrigger_candidature_transition"
    )
    assert names == [f"{prefix}_no_delete", f"{prefix}_no_update"]
    for name in ("TransitionEvent", "DmnCandidatureTransitionEvent", "DmnCandidatureEvent"):
        with pytest.raises(LookupError):
            apps.get_model("audit", name)
