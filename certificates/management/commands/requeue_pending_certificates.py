"""``python manage.py requeue_pending_certificates [--older-than MINUTES]``.

Enqueues again the documents still pending after MINUTES (default 5), for instance because the
broker was down when they were requested. Safe to repeat: a render delivered twice is done once.
Celery beat runs the same service every few minutes.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from certificates import services


class Command(BaseCommand):
    help = "Relance la génération des documents restés en attente."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=services.REQUEUE_AFTER.total_seconds() / 60,
            help="ancienneté minimale en minutes (5 par défaut)",
        )

    def handle(self, *args, older_than, **options):
        count = services.certificates_requeue_pending(older_than=timedelta(minutes=older_than))
        self.stdout.write(f"{count} document(s) remis en file de génération.")
