"""``python manage.py import_assessment <assessment uuid> FILE [--as EMAIL]``: fill an editable
assessment from an interchange document (``-`` reads standard input).

All or nothing: the whole document is validated first; on any problem every error is written to
standard error, nothing changes and the exit code is 2. Items absent from the document keep their
answer. Running it twice with the same file changes nothing the second time.
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from assessments import services
from assessments.management.commands.export_assessment import assessment_by_public_id

UNREADABLE = "{path} : fichier illisible ({error})."
UNKNOWN_USER = "Aucun utilisateur d'adresse {email}."
REFUSED = "{count} problème(s) : rien n'a été importé."
DONE = "Import terminé : {count} réponse(s) dans le document."


class Command(BaseCommand):
    help = "Remplit une évaluation modifiable à partir d'un document JSON d'échange (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("assessment", metavar="UUID", help="identifiant public de l'évaluation")
        parser.add_argument("file", metavar="FILE", help="document JSON ; « - » pour l'entrée standard")
        parser.add_argument("--as", dest="email", metavar="EMAIL", help="auteur enregistré des réponses")

    def handle(self, *args, assessment, file, email, **options):
        target = assessment_by_public_id(assessment)
        actor = self._actor(email)
        try:
            document = services.parse_document(self._read(file))
            services.assessment_import(assessment=target, document=document, actor=actor)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(REFUSED.format(count=len(error.messages)), returncode=2) from error
        self.stdout.write(DONE.format(count=len(document["answers"])))

    def _read(self, file: str) -> bytes:
        # One byte over the limit is enough for parse_document to refuse: never read a huge file whole.
        if file == "-":
            return sys.stdin.buffer.read(services.IMPORT_MAX_BYTES + 1)
        try:
            with open(file, "rb") as handle:
                return handle.read(services.IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(UNREADABLE.format(path=file, error=error.strerror), returncode=2) from error

    def _actor(self, email: str | None):
        if email is None:
            return None
        try:
            return User.objects.get(email__iexact=email)
        except User.DoesNotExist as error:
            raise CommandError(UNKNOWN_USER.format(email=email), returncode=2) from error
