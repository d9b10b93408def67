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


def test_search_uses_the_trigram_index_of_listed_documents():
    bulk_attestations(2000)  # with few rows, reading them all is as cheap as any index
    bulk_attestations(1, names=["Hôpital Numérique"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE certificates_certificate")
        # Whether the planner prefers the index at this size depends on the machine's costs: what is
        # tested is that the index *can* serve the search (a predicate it cannot serve would still
        # be read by a sequential or a plain index scan, and the index would not appear in the plan).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = catalogue_rows(CatalogueFilters(search="NUMÉRIQUE")).explain()
    # The searched word, normalised, is a constant of the plan: the trigram index can serve it.
    assert "certificates_listed_search" in plan and "%numerique%" in plan, plan
