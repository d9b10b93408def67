# ReviewComment now lives in ``instruction`` (instruction/migrations/0001_initial): only the model's
# state leaves this app; its table stays, with its rows.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_submission_identity"),
        ("audit", "0003_review_comment_in_instruction"),
        ("instruction", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReviewComment")],
            database_operations=[],
        ),
    ]
