"""The ``Transition`` log becomes the one history of an assessment's state: it names the API key a
change went through (until now only in the audit copy of the log, ``audit.TransitionEvent``, dropped by
``audit.0011``), and an assessment with a history can no longer be deleted with it."""

import django.db.models.deletion
import pgtrigger
from django.db import migrations, models


def carry_api_key_names(apps, schema_editor):
    """Copy onto each transition the API key named by the context of its audit copy."""
    Transition = apps.get_model("assessments", "Transition")
    TransitionEvent = apps.get_model("audit", "TransitionEvent")
    named = (
        TransitionEvent.objects.filter(pgh_label="insert", pgh_context__metadata__has_key="api_key")
        .order_by("pgh_id")
        .values_list("pgh_obj_id", "pgh_context__metadata__api_key")
    )
    # The rows are append-only once the current triggers are installed (a database migrated before).
    with pgtrigger.ignore("assessments.Transition:transition_no_update"):
        for transition_id, name in named:
            Transition.objects.filter(pk=transition_id).update(api_key_name=(name or "")[:100])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_answer_declarant_role"),
        ("audit", "0010_proof_events_and_declarant_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="transition",
            name="api_key_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="clé d'API"),
        ),
        migrations.AlterField(
            model_name="transition",
            name="assessment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="transitions",
                to="assessments.assessment",
            ),
        ),
        migrations.RunPython(carry_api_key_names, migrations.RunPython.noop),
    ]
