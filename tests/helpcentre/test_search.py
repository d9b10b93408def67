"""The public help centre: French full-text search that ignores accents and case, ranked, with the
five facet filters; drafts stay private; the page costs the same queries for 3 or 300 entries."""

import html

import pytest
from django.urls import reverse

from helpcentre import selectors
from helpcentre.forms import QUERY_TOO_LONG, UNKNOWN_TAG
from helpcentre.models import Entry, Facet
from tests.helpcentre.factories import EntryFactory, TagFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


def test_search_ignores_accents_and_case():
    EntryFactory(title="Sécurité des échanges", body="Le chiffrement des flux est exigé.")
    EntryFactory(title="Nommer un produit", body="Le nom commercial suffit.")
    for text in ("securite", "SÉCURITÉ", "Securité", "echanges", "ÉCHANGE"):
        assert titles(selectors.entries_search(text=text)) == ["Sécurité des échanges"], text


def test_search_stems_french_words():
    EntryFactory(title="Révocation d'une attestation", body="L'agence révoque avec un motif.")
    assert titles(selectors.entries_search(text="ATTESTATIONS revocations")) == [
        "Révocation d'une attestation"
    ]


def test_a_title_match_ranks_above_a_body_match():
    EntryFactory(title="Où déposer les preuves ?", body="Par lots fonctionnels.")
    EntryFactory(title="Les vidéos demandées", body="Chaque preuve se dépose séparément.")
    EntryFactory(title="Ségur", body="Les couloirs et les vagues.")
    found = selectors.entries_search(text="preuve")
    assert titles(found) == ["Où déposer les preuves ?", "Les vidéos demandées"]
    assert found[0].rank > found[1].rank


def test_drafts_are_never_found_nor_shown(client):
    EntryFactory(title="Brouillon sur la sécurité", draft=True, slug="brouillon")
    assert titles(selectors.entries_search(text="securite")) == []
    assert titles(selectors.entries_search()) == []
    assert client.get(reverse("helpcentre:entry", args=["brouillon"])).status_code == 404


def test_facet_filters_combine():
    dmn = TagFactory(facet=Facet.OFFER, slug="dmn", label="Dispositif de télésurveillance")
    logiciel = TagFactory(facet=Facet.OFFER, slug="logiciel", label="Logiciel")
    preuves = TagFactory(facet=Facet.THEME, slug="preuves", label="Preuves")
    comptes = TagFactory(facet=Facet.THEME, slug="comptes", label="Comptes")
    EntryFactory(title="Preuves d'un DMN", tags=[dmn, preuves])
    EntryFactory(title="Compte d'un DMN", tags=[dmn, comptes])
    EntryFactory(title="Preuves d'un logiciel", tags=[logiciel, preuves])
    assert titles(selectors.entries_search(tags={"offre": "dmn"})) == ["Compte d'un DMN", "Preuves d'un DMN"]
    assert titles(selectors.entries_search(tags={"offre": "dmn", "theme": "preuves"})) == ["Preuves d'un DMN"]
    assert titles(selectors.entries_search(text="preuves", tags={"offre": "logiciel"})) == [
        "Preuves d'un logiciel"
    ]


def test_index_lists_filters_by_facet_with_their_counts(client):
    corridor = TagFactory(facet=Facet.CORRIDOR, slug="biologie", label="Biologie médicale")
    EntryFactory(title="Compte rendu de biologie", tags=[corridor])
    EntryFactory(title="Autre question")
    EntryFactory(title="Brouillon de biologie", draft=True, tags=[corridor])
    page = text(client.get(reverse("helpcentre:index")))
    for facet in Facet:
        assert f">{facet.label}</label>" in page
    assert "Biologie médicale (1)" in page  # drafts are not counted
    filtered = text(client.get(reverse("helpcentre:index"), {"couloir": "biologie"}))
    assert "Compte rendu de biologie" in filtered and "Autre question" not in filtered


def test_search_page_shows_ranked_results(client):
    EntryFactory(title="Quand répondre « non applicable » ?", body="Justifiez toujours.")
    EntryFactory(title="Comptes", body="Rien à voir.")
    page = text(client.get(reverse("helpcentre:index"), {"q": "NON APPLICABLE"}))
    assert "1 réponse trouvée" in page
    assert "Quand répondre « non applicable » ?" in page and ">Comptes<" not in page


def test_a_hostile_or_stale_filter_is_said_and_ignored(client):
    EntryFactory(title="Une réponse")
    response = client.get(reverse("helpcentre:index"), {"theme": "n-existe-plus", "q": "x" * 201})
    assert response.status_code == 200
    page = text(response)
    assert UNKNOWN_TAG in page
    assert QUERY_TOO_LONG in page
    assert "Une réponse" in page  # the invalid fields count as empty


def _tagged_entries(count: int, tags):
    Entry.objects.bulk_create(
        Entry(
            slug=f"q-{n}",
            title=f"Sécurité {n}",
            body="Chiffrement.",
            status="published",
            published_at="2026-01-01T00:00Z",
        )
        for n in range(count)
    )
    through = Entry.tags.through
    through.objects.bulk_create(
        through(entry=entry, tag=tag) for entry in Entry.objects.all() for tag in tags
    )


@pytest.mark.parametrize(
    "query", [{}, {"q": "securite"}, {"q": "securite", "theme": "securite", "offre": "dmn"}]
)
def test_index_query_count_is_the_same_for_3_and_300_entries(client, django_assert_max_num_queries, query):
    tags = [TagFactory(facet=Facet.THEME, slug="securite"), TagFactory(facet=Facet.OFFER, slug="dmn")]
    counts = []
    for count in (3, 300):
        Entry.objects.all().delete()
        _tagged_entries(count, tags)
        # facets, the count, the page of entries, their tags
        with django_assert_max_num_queries(4) as captured:
            response = client.get(reverse("helpcentre:index"), query)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_search_column_is_computed_by_the_database_with_unaccented_french_stems():
    entry = EntryFactory(title="Les Échanges sécurisés", body="")
    entry.refresh_from_db()
    assert "echang" in entry.search_vector and "securis" in entry.search_vector
