"""The catalogue's search reads a stored, normalised column through a trigram index, and finds
exactly what normalising every row at search time found."""

import pytest
from django.contrib.postgres.lookups import Unaccent
from django.db import connection
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Lower

from catalogue.selectors import CatalogueFilters, catalogue_rows, valid_attestations
from certificates.models import Certificate
from tests.catalogue.factories import attest, bulk_attestations

pytestmark = pytest.mark.django_db

NAMES = ["Hôpital Numérique", "Œuvre Santé", "AGENDA Médecin", "Pharmacie_100%", "Ça Marche", "Élan"]
SEARCHES = [
    "hopital",
    "HÔPITAL numérique",
    "oeuvre",
    "œuvre",
    "medecin agenda",
    "100%",
    "_",
    "ca",
    "elan linux",
    "e",
    "site web",
    "editeur",
    "inexistant",
    "9",
]


def reference_codes(search: str) -> set[str]:
    """What the catalogue found before the stored column: every row normalised at search time."""
    stated = ("company_name", "company_siren", "product_name", "commercial_name", "version_label")
    haystack = Concat(
        *(part for name in (*stated, "referential_title") for part in (F(f"stated_{name}"), Value(" "))),
        output_field=CharField(),
    )
    rows = valid_attestations().annotate(haystack=Lower(Unaccent(haystack)))
    for word in search.split()[:8]:
        rows = rows.filter(haystack__contains=Lower(Unaccent(Value(word, output_field=CharField()))))
    return set(rows.values_list("code", flat=True))


def test_search_finds_the_same_documents_as_normalising_every_row():
    attest()
    bulk_attestations(len(NAMES), names=NAMES)
    # A commercial name in the snapshot is searched too; a missing one is no obstacle.
    certificate = Certificate.objects.order_by("pk").last()
    snapshot = certificate.snapshot
    snapshot["product"]["commercial_name"] = "Mon Espace Soins"
    Certificate.objects.filter(pk=certificate.pk).update(snapshot=snapshot)
    for search in [*SEARCHES, "espace soins"]:
        found = {row["verification_code"] for row in catalogue_rows(CatalogueFilters(search=search))}
        assert found == reference_codes(search), search
    assert reference_codes("espace soins") == {certificate.code}


def test_search_can_be_served_by_the_trigram_index_of_listed_documents():
    """The planner's choice depends on the table's size (bench/api.py shows the index used on
    5,000 rows); what makes it possible is checked here: the index, and a constant pattern."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'certificates_listed_search'")
        [definition] = cursor.fetchone()
    assert "USING gin (stated_search gin_trgm_ops)" in definition
    assert "kind)::text = 'attestation'" in definition and "revoked_at IS NULL" in definition
    bulk_attestations(1, names=["Hôpital Numérique"])
    plan = catalogue_rows(CatalogueFilters(search="NUMÉRIQUE")).explain()
    # The searched word, normalised, is folded to a constant before planning: an index can serve it.
    assert "(stated_search ~~ '%numerique%'::text)" in plan, plan
