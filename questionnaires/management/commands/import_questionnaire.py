"""``python manage.py import_questionnaire PATH [PATH ...] [--publish] [--dry-run]``.

Validates each definition file completely, then writes it in one transaction (or nothing). Idempotent:
importing the same file twice changes nothing; a changed file for a published version is refused.
A directory imports every ``v*.yaml`` below it, in order. Exit code 1 when any file is refused.
"""

from django.core.management.base import BaseCommand, CommandError

from questionnaires.services import (
    CREATED,
    PUBLISHED,
    REPLACED,
    UNCHANGED,
    DefinitionError,
    definition_files,
    questionnaire_import,
)

OUTCOMES = {
    UNCHANGED: "inchangée",
    CREATED: "créée",
    REPLACED: "brouillon remplacé",
    PUBLISHED: "publiée",
}


class Command(BaseCommand):
    help = "Importe un ou plusieurs fichiers de définition de questionnaire (YAML), de façon idempotente."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="fichier vN.yaml ou dossier de définitions"
        )
        parser.add_argument(
            "--publish", action="store_true", help="publie la version (elle devient immuable)"
        )
        parser.add_argument("--dry-run", action="store_true", help="valide et rend compte sans rien écrire")

    def handle(self, *args, paths, publish, dry_run, **options):
        refused = 0
        for path in definition_files(paths):
            try:
                result = questionnaire_import(path=path, publish=publish, dry_run=dry_run)
            except DefinitionError as error:
                refused += 1
                self.stderr.write(f"{path} : refusé ({len(error.errors)} erreur(s))")
                for message in error.errors:
                    self.stderr.write(f"  - {message}")
                continue
            prefix = "[essai] " if dry_run else ""
            published = " et publiée" if publish and result.outcome in (CREATED, REPLACED) else ""
            self.stdout.write(
                f"{prefix}{path} : {result.code} v{result.number} {OUTCOMES[result.outcome]}{published} "
                f"({result.item_count} exigences)"
            )
        if refused:
            raise CommandError(f"{refused} fichier(s) refusé(s) ; rien n'a été écrit pour ces fichiers.")
