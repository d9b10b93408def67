"""One history of a state: an assessment's and a candidature's state changes are their transition logs
(``assessments.Transition``, ``dmn.CandidatureTransition``), no longer copied into the audit trail. The
API key names in the dropped copies were carried onto the transitions by ``assessments.0009``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_transition_one_history"),
        ("audit", "0010_proof_events_and_declarant_role"),
        ("dmn", "0002_candidature_transition_one_history"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="dmncandidaturetransitionevent",
            name="actor",
        ),
        migrations.RemoveField(
            model_name="dmncandidaturetransitionevent",
            name="candidature",
        ),
        migrations.RemoveField(
            model_name="dmncandidaturetransitionevent",
            name="pgh_context",
        ),
        migrations.RemoveField(
            model_name="dmncandidaturetransitionevent",
            name="pgh_obj",
        ),
        migrations.RemoveField(
            model_name="transitionevent",
            name="actor",
        ),
        migrations.RemoveField(
            model_name="transitionevent",
            name="assessment",
        ),
        migrations.RemoveField(
            model_name="transitionevent",
            name="pgh_context",
        ),
        migrations.RemoveField(
            model_name="transitionevent",
            name="pgh_obj",
        ),
        migrations.RemoveField(
            model_name="assessmentevent",
            name="reviewer",
        ),
        migrations.RemoveField(
            model_name="assessmentevent",
            name="state",
        ),
        migrations.RemoveField(
            model_name="assessmentevent",
            name="submitted_at",
        ),
        migrations.RemoveField(
            model_name="assessmentevent",
            name="validated_at",
        ),
        migrations.DeleteModel(
            name="DmnCandidatureEvent",
        ),
        migrations.DeleteModel(
            name="DmnCandidatureTransitionEvent",
        ),
        migrations.DeleteModel(
            name="TransitionEvent",
        ),
    ]
