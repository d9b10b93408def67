"""``python manage.py export_assessment <assessment uuid> [-o FILE]``: an assessment as an interchange
document (assessments/INTERCHANGE.md), the same as the portal's download. Reads only."""

import json
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.models import Assessment
from assessments.selectors import assessment_document

NOT_FOUND = "Aucune évaluation d'identifiant {public_id}."
BAD_ID = "« {value} » n'est pas un identifiant d'évaluation (UUID)."
UNWRITABLE = "{path} : écriture impossible ({error})."


def assessment_by_public_id(value: str) -> Assessment:
    """The assessment for a command-line UUID; ``CommandError`` (exit code 2) otherwise."""
    try:
        public_id = uuid.UUID(value)
    except ValueError as error:
        raise CommandError(BAD_ID.format(value=value), returncode=2) from error
    try:
        return Assessment.objects.select_related("product_version__product").get(public_id=public_id)
    except Assessment.DoesNotExist as error:
        raise CommandError(NOT_FOUND.format(public_id=public_id), returncode=2) from error


class Command(BaseCommand):
    help = "Exporte une évaluation au format JSON d'échange (sortie standard, ou fichier avec -o)."

    def add_arguments(self, parser):
        parser.add_argument("assessment", metavar="UUID", help="identifiant public de l'évaluation")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="fichier à écrire ; sortie standard si absent"
        )

    def handle(self, *args, assessment, output, **options):
        document = assessment_document(assessment_by_public_id(assessment))
        document["meta"]["exported_at"] = timezone.now().isoformat(timespec="seconds")
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            raise CommandError(UNWRITABLE.format(path=output, error=error.strerror), returncode=2) from error
