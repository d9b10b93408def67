# The audited ReviewComment now belongs to ``instruction``: the event table's links follow it. Both
# links are declared without a database constraint, so only Django's state changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_admin_actions_and_users"),
        ("instruction", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewcommentevent",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="instruction.reviewcomment",
            ),
        ),
        migrations.AlterField(
            model_name="reviewcommentevent",
            name="pgh_obj",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="audit_events",
                related_query_name="audit_events",
                to="instruction.reviewcomment",
            ),
        ),
    ]
