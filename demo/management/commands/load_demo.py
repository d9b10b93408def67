"""``python manage.py load_demo``: load the reference and demo data, idempotently.

Each app that has demo data exposes ``<app>.demo.load(stdout) -> list[tuple[str, str]]`` returning
the demo accounts it made as (e-mail, description); the loaders run in the order below and running
the command twice changes nothing. The demo API keys (fixed, public) are printed after the accounts.

Development only: with ``DJANGO_DEBUG=false`` it refuses to run (exit code 1) and writes nothing.
A real platform gets its referentials from ``import_definitions`` and its help-centre answers from
``import_help_centre``, and no demo data at all.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apikeys.demo import demo_api_keys
from core.demo import DEMO_PASSWORD

PRODUCTION_REFUSED = (
    "load_demo crée des comptes de démonstration dont le mot de passe est public : il ne s'exécute "
    "qu'en développement (DJANGO_DEBUG=true). Sur une plateforme réelle, les référentiels se "
    "chargent avec « python manage.py import_definitions »."
)
# Order matters: reference data first, then what refers to it.
DEMO_LOADERS = [
    "questionnaires.demo",
    "accounts.demo",
    "companies.demo",
    "products.demo",
    "assessments.demo",
    "proofs.demo",
    "certificates.demo",
    "dmn.demo",
    "catalogue.demo",
    "apikeys.demo",
    "helpcentre.demo",
]


class Command(BaseCommand):
    help = "Charge les référentiels et les données de démonstration (idempotent, développement seulement)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(PRODUCTION_REFUSED)
        accounts: list[tuple[str, str]] = []
        with transaction.atomic():
            for module_name in DEMO_LOADERS:
                accounts += import_module(module_name).load(self.stdout) or []
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        if accounts:
            self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
            for email, description in accounts:
                self.stdout.write(f"  {email:<40} {description}")
        self.stdout.write(
            "Clés d'API de démonstration (portée écriture, en-tête « Authorization: Bearer <clé> ») :"
        )
        for company, key in demo_api_keys():
            self.stdout.write(f"  {key:<40} {company}")
