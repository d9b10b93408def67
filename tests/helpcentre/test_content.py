"""The answers shipped with the code: at least 40, under the five facets, explaining real items;
imported at every deployment without ever overwriting what the back office changed."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from helpcentre.models import Entry, Facet, Tag
from helpcentre.services import CONTENT_FILE

pytestmark = pytest.mark.django_db
DEFINITIONS = Path(__file__).resolve().parents[2] / "questionnaires" / "definitions"
TOPICS = {
    "comptes",
    "produits",
    "questionnaires",
    "profils-dmp",
    "preuves",
    "certification-dmn",
    "segur",
    "services-nationaux",
}


def import_content() -> str:
    out = StringIO()
    call_command("import_help_centre", stdout=out)
    return out.getvalue()


def test_at_least_40_published_entries_under_the_five_facets():
    Entry.objects.all().delete()
    import_content()
    entries = Entry.objects.filter(status=Entry.Status.PUBLISHED).prefetch_related("tags")
    assert entries.count() >= 40
    assert set(Tag.objects.values_list("facet", flat=True)) == set(Facet.values)
    assert all(any(tag.facet == Facet.THEME for tag in entry.tags.all()) for entry in entries)
    themes = set(Tag.objects.filter(facet=Facet.THEME, entries__isnull=False).values_list("slug", flat=True))
    assert themes >= TOPICS


def test_every_item_an_entry_explains_exists_in_the_repository_referentials():
    codes = set()
    for path in DEFINITIONS.glob("*/v*.yaml"):
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
        codes |= {item["code"] for section in definition["sections"] for item in section["items"]}
    content = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    explained = {code for entry in content["entries"] for code in entry.get("items", [])}
    assert explained and explained <= codes, explained - codes


def test_the_import_is_idempotent_and_never_overwrites_the_back_office():
    Entry.objects.all().delete()
    import_content()
    count = Entry.objects.count()
    edited = Entry.objects.order_by("pk").first()
    Entry.objects.filter(pk=edited.pk).update(title="Titre revu par l'agence", status=Entry.Status.DRAFT)
    assert "0 réponse(s) ajoutée(s)" in import_content()
    assert Entry.objects.count() == count
    edited.refresh_from_db()
    assert (edited.title, edited.status) == ("Titre revu par l'agence", Entry.Status.DRAFT)


def test_an_entry_missing_from_the_database_is_added_at_the_next_deployment():
    Entry.objects.all().delete()
    import_content()
    Entry.objects.filter(slug="profil-alimentation").delete()
    assert "1 réponse(s) ajoutée(s)" in import_content()
    assert Entry.objects.get(slug="profil-alimentation").item_codes == ["A08.3.1", "A08.4.1", "A08.5.01"]
