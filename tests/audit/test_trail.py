import pghistory
import pytest
from django.db import connection

from assessments.models import Answer, Assessment
from assessments.services import assessment_request_changes, assessment_take
from audit.models import AnswerEvent, AssessmentEvent, MembershipEvent
from companies.models import Membership
from instruction.trail import assessment_trail
from tests.assessments.factories import EVERY_ITEM, AssessmentFactory, questionnaire_version
from tests.companies.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDIT_TRIGGER_PREFIXES = ("pgtrigger_insert_insert_", "pgtrigger_update_update_", "pgtrigger_delete_delete_")
TRACKED_TABLES = [
    "assessments_answer",
    "assessments_assessment",
    "assessments_reviewcomment",
    "companies_membership",
    "certificates_certificate",
]


@pytest.mark.parametrize("table", TRACKED_TABLES)
def test_audit_triggers_are_installed_in_the_database(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table]
        )
        names = {row[0] for row in cursor.fetchall()}
    # The audit's insert, update and delete triggers (other triggers may watch the table too).
    audit = [name for name in names if name.startswith(AUDIT_TRIGGER_PREFIXES)]
    assert len(audit) == 3


def test_bulk_update_of_answers_is_recorded_old_to_new():
    assessment = AssessmentFactory(
        answered=True,
        questionnaire_version=questionnaire_version(items=6),
        qualification=EVERY_ITEM,
        level="orange",
        rule_level="orange",
    )
    answered = AnswerEvent.objects.filter(pgh_label="update", assessment=assessment).count()  # the vendor's
    reviewer = UserFactory(reviewer=True)

    with pghistory.context(user=reviewer.pk):
        updated = Answer.objects.filter(assessment=assessment).update(level="vert")

    events = AnswerEvent.objects.filter(pgh_label="update", assessment=assessment).order_by("pgh_id")[
        answered:
    ]
    assert len(events) == updated == 6
    assert {event.level for event in events} == {"vert"}
    trail = assessment_trail(assessment=assessment)
    changes = [entry for entry in trail if entry.action == "modification" and entry.actor == str(reviewer)]
    assert len(changes) == 6
    # One change per answer, in the order PostgreSQL updated the rows (its physical order, which
    # earlier tests' rows in the same database can shuffle): each names its own item.
    codes = Answer.objects.filter(assessment=assessment).values_list("item__code", flat=True)
    assert sorted(change.subject for change in changes) == sorted(f"Réponse {code}" for code in codes)
    assert "Réponse A08.3.1" in {change.subject for change in changes}
    for change in changes:
        assert change.actor == str(reviewer)
        assert [(c.label, c.old, c.new) for c in change.changes] == [("Niveau", "orange", "vert")]


def test_a_state_change_is_read_from_the_transition_log_alone():
    assessment = AssessmentFactory(submitted=True)  # answered: its reached profiles were recorded
    submitter = assessment.submissions.get().submitted_by
    recorded = AssessmentEvent.objects.filter(pgh_obj=assessment, pgh_label="update").count()
    reviewer = UserFactory(reviewer=True)

    assessment_take(assessment=assessment, actor=reviewer)
    assessment_request_changes(assessment=assessment, actor=reviewer, comment="Précisez le volet.")

    # The audit trail does not copy what the transitions state (state, reviewer, dates).
    assert AssessmentEvent.objects.filter(pgh_obj=assessment, pgh_label="update").count() == recorded
    changes = [
        entry for entry in assessment_trail(assessment=assessment) if entry.action == "changement d'état"
    ]
    assert [(entry.actor, [(c.label, c.old, c.new) for c in entry.changes]) for entry in changes] == [
        (str(submitter), [("État", "Brouillon", "Soumise")]),
        (str(reviewer), [("État", "Soumise", "En instruction")]),
        (
            str(reviewer),
            [("État", "En instruction", "Compléments demandés"), ("Commentaire", "—", "Précisez le volet.")],
        ),
    ]


def test_a_profile_recomputation_alone_leaves_no_state_event():
    assessment = AssessmentFactory()

    Assessment.objects.filter(pk=assessment.pk).update(profiles={"alimentation": {"reached": False}})

    assert AssessmentEvent.objects.filter(pgh_obj=assessment, pgh_label="update").count() == 0


def test_membership_role_change_and_removal_are_recorded():
    membership = MembershipFactory()
    pk = membership.pk

    Membership.objects.filter(pk=pk).update(role=Membership.Role.REPRESENTANT)
    membership.delete()

    assert list(
        MembershipEvent.objects.filter(pgh_obj_id=pk).order_by("pgh_id").values_list("pgh_label", "role")
    ) == [("insert", "salarie"), ("update", "representant"), ("delete", "representant")]


def trail_page_queries(client, items_per_section: int) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    assessment = AssessmentFactory(
        in_review=True,
        reviewer=client.user,
        questionnaire_version=questionnaire_version(
            items=3 * items_per_section, per_section=items_per_section
        ),
        qualification=EVERY_ITEM,
        level="orange",
        rule_level="orange",
    )
    with pghistory.context(user=client.user.pk):
        Answer.objects.filter(assessment=assessment).update(level="vert")
    url = reverse("review:assessments:trail", kwargs={"public_id": assessment.public_id})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_reviewer_reads_the_trail_in_constant_queries(reviewer_client):
    few, _ = trail_page_queries(reviewer_client, 1)
    many, page = trail_page_queries(reviewer_client, 50)

    assert few == many <= 12
    assert page.count("Niveau : orange → vert") == 150
    assert str(reviewer_client.user) in page
