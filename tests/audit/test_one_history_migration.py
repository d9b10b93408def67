"""Dropping the duplicated histories keeps their facts: a database migrated forwards from before
keeps each certificate's history (``certificates.CertificateEvent`` carried onto the rows and their
audit trail) and the API key named by each transition's audit copy."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import State, Transition
from certificates import services
from certificates.models import Certificate
from certificates.selectors import HistoryAction, certificate_history
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import UserFactory

pytestmark = pytest.mark.django_db

BEFORE = [
    ("assessments", "0008_answer_declarant_role"),
    ("audit", "0010_proof_events_and_declarant_role"),
    ("certificates", "0004_catalogue_search"),
    ("dmn", "0001_candidatures"),
]


def _migrate(targets=None):
    """Migrate to ``targets`` (the latest migrations when None); the models as they are then."""
    with connection.cursor() as cursor:  # check the foreign keys now: the migrations alter the tables
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


@pytest.fixture
def validated():
    """A validated assessment (submitted, taken and validated through the services)."""
    assessment = AssessmentFactory(submitted=True)
    reviewer = UserFactory(reviewer=True)
    assessment_services.assessment_take(assessment=assessment, actor=reviewer)
    assessment_services.assessment_validate(assessment=assessment, actor=reviewer)
    assessment.reviewer = reviewer
    return assessment


def test_a_migrated_database_keeps_each_certificate_history(validated, django_capture_on_commit_callbacks):
    requester, reviewer = UserFactory(), validated.reviewer
    with django_capture_on_commit_callbacks():
        revoked = services.certificate_request(assessment=validated, kind="attestation", actor=requester)
        services.certificate_render_pdf(certificate=revoked)
        services.certificate_revoke(certificate=revoked, actor=reviewer, reason="Déclaration inexacte")
        reissued = services.certificate_reissue(
            assessment=validated, actor=reviewer, reason="Erreur corrigée"
        )
        pending = services.certificate_request(assessment=validated, kind="rapport", actor=requester)
    first, second = timezone.now() + timedelta(minutes=5), timezone.now() + timedelta(minutes=10)

    old_apps = _migrate(BEFORE)
    Event = old_apps.get_model("certificates", "CertificateEvent")
    for certificate, action, actor, detail, at in [
        (revoked, "requested", requester, "", None),
        (revoked, "rendered", None, "1234 octets", None),
        (revoked, "revoked", reviewer, "Déclaration inexacte", None),
        (
            reissued,
            "reissued",
            reviewer,
            f"Erreur corrigée (remplace le document {revoked.display_code}, révoqué)",
            None,
        ),
        (pending, "requested", requester, "", None),
        (pending, "requeued", None, "", second),
        (pending, "requeued", None, "", first),
    ]:
        Event.objects.create(
            certificate_id=certificate.pk,
            action=action,
            actor_id=actor.pk if actor else None,
            detail=detail,
            at=at or timezone.now(),
        )
    _migrate()

    reissued = Certificate.objects.get(pk=reissued.pk)
    assert (reissued.reissue_of_id, reissued.reissue_reason) == (revoked.pk, "Erreur corrigée")
    assert [(e.action, e.actor, e.detail) for e in certificate_history(certificate=reissued)] == [
        (
            HistoryAction.REISSUED,
            str(reviewer),
            f"Erreur corrigée (remplace le document {revoked.display_code}, révoqué)",
        )
    ]
    assert [(e.action, e.actor) for e in certificate_history(certificate=revoked)] == [
        (HistoryAction.REQUESTED, str(requester)),
        (HistoryAction.RENDERED, "Système"),
        (HistoryAction.REVOKED, str(reviewer)),
    ]
    pending = Certificate.objects.get(pk=pending.pk)
    assert pending.requeued_at == second
    assert [(e.action, e.at) for e in certificate_history(certificate=pending)][1:] == [
        (HistoryAction.REQUEUED, first),
        (HistoryAction.REQUEUED, second),
    ]
    assert "certificates_certificateevent" not in connection.introspection.table_names()


def test_a_migrated_database_keeps_the_api_key_of_each_transition(validated):
    submitted = validated.transitions.get(to_state=State.SUBMITTED)
    transitions = list(Transition.objects.filter(assessment=validated).values())
    old_apps = _migrate(BEFORE)
    context = old_apps.get_model("pghistory", "Context").objects.create(
        metadata={"user": submitted.actor_id, "api_key": "Intégration continue"}
    )
    TransitionEvent = old_apps.get_model("audit", "TransitionEvent")
    for transition in transitions:
        TransitionEvent.objects.create(
            pgh_obj_id=transition["id"],
            pgh_label="insert",
            pgh_context=context if transition["id"] == submitted.pk else None,
            assessment_id=transition["assessment_id"],
            actor_id=transition["actor_id"],
            from_state=transition["from_state"],
            to_state=transition["to_state"],
            comment=transition["comment"],
        )
    _migrate()

    assert dict(Transition.objects.filter(assessment=validated).values_list("to_state", "api_key_name")) == {
        State.SUBMITTED: "Intégration continue",
        State.IN_REVIEW: "",
        State.VALIDATED: "",
    }
    assert "audit_transitionevent" not in connection.introspection.table_names()
