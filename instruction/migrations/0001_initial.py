# ReviewComment moves from ``assessments`` to ``instruction``: the model's state is created here and
# deleted from ``assessments`` (assessments/migrations/0004), while the table, its rows, its
# constraint and its index stay as they are (``db_table`` keeps the old name). The content type
# follows the model, so admin log entries and permissions that point at it stay attached.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="instruction", model="reviewcomment").exists():
        ContentType.objects.filter(app_label="assessments", model="reviewcomment").update(
            app_label="instruction"
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="assessments", model="reviewcomment").exists():
        ContentType.objects.filter(app_label="instruction", model="reviewcomment").update(
            app_label="assessments"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("assessments", "0003_submission_identity"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("questionnaires", "0002_freeze_published_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewComment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("body", models.TextField(verbose_name="commentaire")),
                        (
                            "is_published",
                            models.BooleanField(default=False, verbose_name="visible par l'éditeur"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="écrit le"),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="comments",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="questionnaires.item",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="replies",
                                to="instruction.reviewcomment",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "commentaire d'instruction",
                        "verbose_name_plural": "commentaires d'instruction",
                        "db_table": "assessments_reviewcomment",
                        "ordering": ["created_at", "pk"],
                        "indexes": [models.Index(fields=["assessment", "item"], name="assessments_comment_item")],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("body", ""), _negated=True),
                                name="assessments_comment_not_empty",
                                violation_error_message="Le commentaire ne peut pas être vide.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
