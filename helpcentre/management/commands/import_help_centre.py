"""``python manage.py import_help_centre``: the deploy step that puts the help centre's answers in
the database (run by the compose ``migrate`` service after ``import_definitions``, and by
``load_demo``).

The answers live in ``helpcentre/content/entries.yaml``; once in the database they are the
reviewers' to edit in the back office. So the command only adds what is missing (facet values, and
entries by address): it never changes or republishes an entry that exists. Idempotent: it runs at
every deployment, and answers added to the file in a later release reach the database then.
"""

from django.core.management.base import BaseCommand

from helpcentre.services import content_import


class Command(BaseCommand):
    help = (
        "Ajoute les réponses du centre d'aide livrées avec le code (idempotent ; ne modifie rien d'existant)."
    )

    def handle(self, *args, **options):
        tags, entries = content_import()
        self.stdout.write(f"Centre d'aide : {tags} valeur(s) de facette et {entries} réponse(s) ajoutée(s).")
