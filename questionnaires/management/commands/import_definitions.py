"""``python manage.py import_definitions``: the deploy step that puts the repository's referentials in
the database (run by the compose ``migrate`` service right after ``migrate``).

Imports and publishes every ``questionnaires/definitions/<code>/vN.yaml``, exactly as
``import_questionnaire questionnaires/definitions --publish`` would. Idempotent: a version already
imported from the same file is left as it is, so it runs at every deployment. Exit code 1 when a
file is refused (for instance a published version whose file was edited: a fix is a new version).
"""

from questionnaires.management.commands import import_questionnaire
from questionnaires.services import DEFINITIONS_DIR


class Command(import_questionnaire.Command):
    help = (
        "Importe et publie tous les référentiels du dépôt (questionnaires/definitions), de façon idempotente."
    )

    def add_arguments(self, parser):
        pass

    def handle(self, *args, **options):
        return super().handle(paths=[str(DEFINITIONS_DIR)], publish=True, dry_run=False, **options)
