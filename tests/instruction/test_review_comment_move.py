"""ReviewComment moved from ``assessments`` to ``instruction`` without losing a row."""

import pgtrigger
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from instruction.models import ReviewComment
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import UserFactory

pytestmark = pytest.mark.django_db

BEFORE = [
    ("assessments", "0003_submission_identity"),
    ("audit", "0002_admin_actions_and_users"),
    ("instruction", None),
]


def _migrate(targets=None):
    """Migrate to ``targets`` (the latest migrations when None); the models as they are then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def test_migrating_forwards_keeps_the_comments_written_before():
    assessment = AssessmentFactory()
    author = UserFactory(reviewer=True)
    with connection.cursor() as cursor:  # check the rows written at the start now: migrations alter tables
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    old_apps = _migrate(BEFORE)
    OldComment = old_apps.get_model("assessments", "ReviewComment")
    # The audit trigger on the table is the one of today's model: it writes columns the older
    # event table lacks. The rows written here are the point, not their audit.
    with pgtrigger.ignore("instruction.ReviewComment:insert_insert"):
        old = OldComment.objects.create(
            assessment_id=assessment.pk, author_id=author.pk, body="Précisez le volet.", is_published=True
        )
        OldComment.objects.create(assessment_id=assessment.pk, author_id=author.pk, body="Vu.", parent=old)

    with connection.cursor() as cursor:  # check the foreign keys now: the next migrations alter the table
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    new_apps = _migrate()

    moved = new_apps.get_model("instruction", "ReviewComment").objects.get(pk=old.pk)
    assert (moved.body, moved.is_published, moved.assessment_id) == (
        "Précisez le volet.",
        True,
        assessment.pk,
    )
    assert ReviewComment.objects.filter(parent_id=old.pk).count() == 1
    assert ContentType.objects.get_for_model(ReviewComment).app_label == "instruction"


def test_the_table_keeps_its_name():
    assert ReviewComment._meta.app_label == "instruction"
    assert ReviewComment._meta.db_table == "assessments_reviewcomment"
    assert "assessments_reviewcomment" in connection.introspection.table_names()
