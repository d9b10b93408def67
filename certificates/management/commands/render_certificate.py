"""``python manage.py render_certificate <uuid> --out FILE``: render a stored snapshot synchronously.

For operators and the benchmark: it reads the certificate, renders its PDF from the snapshot alone
and writes it to FILE. It changes nothing in the database (the stored file and status stay as they
are); use ``requeue_pending_certificates`` to have the workers complete pending documents.
"""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates import rendering
from certificates.models import Certificate

NOT_FOUND = "Aucun document n'a l'identifiant {public_id}."


class Command(BaseCommand):
    help = "Génère le PDF d'un document à partir de son contenu figé, sans rien modifier en base."

    def add_arguments(self, parser):
        parser.add_argument("public_id", help="identifiant public (UUID) du document")
        parser.add_argument("--out", required=True, type=Path, help="fichier PDF à écrire")

    def handle(self, *args, public_id, out, **options):
        try:
            certificate = Certificate.objects.get(public_id=public_id)
        except (Certificate.DoesNotExist, ValidationError) as error:
            raise CommandError(NOT_FOUND.format(public_id=public_id)) from error
        started = time.perf_counter()
        pdf = rendering.render_pdf(certificate.snapshot, certificate.code)
        elapsed = time.perf_counter() - started
        out.write_bytes(pdf)
        self.stdout.write(f"{out} : {len(pdf)} octets en {elapsed * 1000:.0f} ms.")
