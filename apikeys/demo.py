"""Development-only demo API keys: one per demo company (scope ``ecriture``), whose key is fixed and
printed by ``load_demo`` (so ``make run`` shows it beside the demo accounts).

A real key is random and exists in clear only once (``apikeys.services.api_key_create``); these are
built from a public demo secret instead, so that they can be printed at every start. Refused unless
``DEMO_DATA_ALLOWED`` (development), like ``load_demo`` itself. Runs after ``companies.demo``;
loading twice makes nothing new.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apikeys.models import ApiKey, Scope
from apikeys.services import KEY_PREFIX, key_hash
from companies.demo import COMPANIES
from companies.models import Membership, Role

DEMO_KEY_SECRET = "Convergence-demo-2026"
DEMO_KEY_NAME = "Démonstration (intégration continue)"
PRODUCTION_REFUSED = "Les clés d'API de démonstration sont publiques : développement uniquement."


def demo_key(slug: str) -> str:
    """The plain demo key of the demo company ``slug`` (``alpha``, ``beta``)."""
    return f"{KEY_PREFIX}demo-{slug}-{DEMO_KEY_SECRET}"


def demo_api_keys() -> list[tuple[str, str]]:
    """(company name, plain key) of every demo company, in the order of ``companies.demo``."""
    return [(name, demo_key(slug)) for _siren, name, _address, slug in COMPANIES]


def load(stdout) -> list[tuple[str, str]]:
    if not settings.DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured(PRODUCTION_REFUSED)
    for siren, _name, _address, slug in COMPANIES:
        mandataire = (
            Membership.objects.select_related("company")
            .filter(company__siren=siren, role=Role.MANDATAIRE)
            .order_by("pk")
            .first()
        )
        if mandataire is None:
            continue
        key = demo_key(slug)
        ApiKey.objects.get_or_create(
            key_hash=key_hash(key),
            defaults={
                "company": mandataire.company,
                "name": DEMO_KEY_NAME,
                "scope": Scope.ECRITURE,
                "prefix": key[: len(KEY_PREFIX) + 6],
                "created_by": mandataire.user,
            },
        )
    return []
