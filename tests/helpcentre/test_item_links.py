"""Questionnaire items link to the help-centre answers that explain them, and back: an answer lists
its items, each with a public read-only page of its definition."""

import html

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Role
from helpcentre import services
from helpcentre.models import Entry
from helpcentre.selectors import ITEM_LINKS_TIMEOUT, entry_links_for_items
from questionnaires.models import QuestionnaireVersion
from tests.assessments.factories import QUALIFIED, fill, questionnaire_version
from tests.companies.factories import CompanyFactory
from tests.helpcentre.factories import EntryFactory
from tests.memo import memo_clock_ahead
from tests.portal.test_assessments import assessment_of, url

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def salarie(vendor_client_factory, company):
    return vendor_client_factory(role=Role.SALARIE, company=company)


def item_block(page: str, code: str) -> str:
    """The markup of one item, up to the next one."""
    start = page.index(f'id="item-{code.replace(".", "-")}"')
    following = page.find('class="cv-item"', start)
    return page[start : following if following != -1 else len(page)]


@pytest.mark.parametrize("page_name", ["section", "full"])
def test_items_link_to_their_published_entries(salarie, company, page_name):
    assessment = assessment_of(
        company, qualification=QUALIFIED, questionnaire_version=questionnaire_version()
    )
    EntryFactory(title="Le profil alimentation", slug="alimentation", item_codes=["A08.3.1", "A08.4.1"])
    EntryFactory(title="La connexion synchrone", slug="connexion", item_codes=["A08.3.1"])
    EntryFactory(title="Un brouillon", draft=True, item_codes=["A08.3.1"])
    page = text(salarie.get(url(page_name, assessment, *([0] if page_name == "section" else []))))
    first = item_block(page, "A08.3.1")
    assert "Aide sur cette exigence" in first
    assert 'href="/aide/connexion/"' in first and 'href="/aide/alimentation/"' in first
    assert "Un brouillon" not in page
    if page_name == "full":
        assert 'href="/aide/alimentation/"' in item_block(page, "A08.4.1")
        assert "Aide sur cette exigence" not in item_block(page, "A08.4.3")


def section_queries(client, company, items: int, entries: int) -> int:
    version = questionnaire_version(items=items, sections=8)
    assessment = assessment_of(company, qualification=QUALIFIED, questionnaire_version=version)
    fill(assessment)
    Entry.objects.all().delete()
    codes = list(version.items.values_list("code", flat=True))
    Entry.objects.bulk_create(
        Entry(
            slug=f"e-{n}",
            title=f"Réponse {n}",
            body=".",
            status="published",
            published_at="2026-01-01T00:00Z",
            item_codes=[codes[n % len(codes)], codes[(n + 1) % len(codes)]],
        )
        for n in range(entries)
    )
    client.get(url("section", assessment, 1))  # the definition is memoised per process
    caches["local"].clear()  # the links are read, not taken from the process's memo
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("section", assessment, 1))
    assert response.status_code == 200 and "Aide sur cette exigence" in text(response)
    return len(queries)


def test_section_page_reads_every_item_link_in_one_query(salarie, company):
    assert section_queries(salarie, company, items=3, entries=3) == section_queries(
        salarie, company, items=300, entries=600
    )


@pytest.fixture
def section_page(salarie, company):
    """``section_page()``: the first section page of a new assessment (A08.3.1, A08.4.1, A08.4.3)."""
    assessment = assessment_of(
        company, qualification=QUALIFIED, questionnaire_version=questionnaire_version()
    )
    return lambda: item_block(text(salarie.get(url("section", assessment, 0))), "A08.3.1")


def edit(entry, **changes):
    fields = {"title": entry.title, "body": entry.body, "status": entry.status, "tags": []}
    return services.entry_update(entry=entry, **fields | {"item_codes": entry.item_codes} | changes)


def test_publishing_editing_and_unpublishing_an_entry_show_on_the_next_page(
    section_page, django_capture_on_commit_callbacks
):
    draft = EntryFactory(title="La connexion synchrone", slug="connexion", draft=True, item_codes=["A08.3.1"])
    assert 'href="/aide/connexion/"' not in section_page()  # memoised: no link
    with django_capture_on_commit_callbacks(execute=True):
        entry = edit(draft, status=Entry.Status.PUBLISHED)
    assert 'href="/aide/connexion/"' in section_page()
    with django_capture_on_commit_callbacks(execute=True):
        edit(entry, title="Se connecter en mode synchrone")
    assert "Se connecter en mode synchrone" in section_page()
    with django_capture_on_commit_callbacks(execute=True):
        edit(entry, status=Entry.Status.DRAFT)
    assert 'href="/aide/connexion/"' not in section_page()


def test_a_new_entry_and_the_imported_content_show_on_the_next_page(
    section_page, django_capture_on_commit_callbacks
):
    assert "Aide sur cette exigence" not in section_page()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_create(
            title="Tester la connexion", body=".", status="published", tags=[], item_codes=["A08.3.1"]
        )
    assert "Tester la connexion" in section_page()
    with django_capture_on_commit_callbacks(execute=True):
        services.content_import()
    assert 'href="/aide/profil-alimentation/"' in section_page()


def test_an_entry_changed_by_another_process_shows_once_the_memo_expires(section_page):
    entry = EntryFactory(title="La connexion synchrone", slug="connexion", item_codes=["A08.3.1"])
    assert "La connexion synchrone" in section_page()
    # Changed elsewhere: this process is not told, its memo keeps the title it read.
    Entry.objects.filter(pk=entry.pk).update(title="Se connecter en mode synchrone")
    assert "La connexion synchrone" in section_page()
    with memo_clock_ahead(ITEM_LINKS_TIMEOUT - 10):
        assert "La connexion synchrone" in section_page()
    with memo_clock_ahead(ITEM_LINKS_TIMEOUT):
        assert "Se connecter en mode synchrone" in section_page()


def test_an_entry_links_back_to_the_items_it_explains(client):
    questionnaire_version(code="interoperabilite")
    EntryFactory(slug="alimentation", item_codes=["A08.3.1", "ZZ.9"])
    page = text(client.get(reverse("helpcentre:entry", args=["alimentation"])))
    assert 'href="/aide/exigences/A08.3.1/"' in page
    assert "A08.3.1 — Connexion synchrone avec d'autres systèmes d'information" in page
    assert "/aide/exigences/ZZ.9/" not in page  # a code no published referential has: no link


def test_item_page_shows_the_published_definition_and_its_entries(client, django_assert_max_num_queries):
    version = questionnaire_version()
    draft = questionnaire_version(publish=False)
    draft.items.filter(code="A08.3.1").update(title="Titre d'un brouillon")
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    EntryFactory(title="Le profil alimentation", slug="alimentation", item_codes=["A08.3.1"])
    EntryFactory(title="Autre sujet", item_codes=["A08.4.1"])
    with django_assert_max_num_queries(2):  # the item with its version and section, the entries
        response = client.get(reverse("helpcentre:item", args=["A08.3.1"]))
    page = text(response)
    assert "Connexion synchrone avec d'autres systèmes d'information" in page
    assert "Titre d'un brouillon" not in page
    assert 'href="/aide/alimentation/"' in page and "Autre sujet" not in page


@pytest.mark.parametrize("code", ["inconnu", "%s", "A08.3.1'--", "x" * 3000])
def test_unknown_item_page_is_404(client, code):
    questionnaire_version()
    assert client.get(f"/aide/exigences/{code}/").status_code == 404


def test_links_matched_by_version_are_those_matched_by_code():
    version = questionnaire_version()
    EntryFactory(title="Connexion", slug="connexion", item_codes=["A08.3.1", "Z.9"])
    EntryFactory(title="Partage", slug="partage", item_codes=["A08.4.1"])
    EntryFactory(title="Ailleurs", slug="ailleurs", item_codes=["Z.9"])
    EntryFactory(title="Brouillon", draft=True, item_codes=["A08.3.1"])
    codes = ["A08.3.1", "A08.4.3"]
    by_version = entry_links_for_items(codes, version_id=version.pk)
    assert by_version == entry_links_for_items(codes)
    assert by_version == {"A08.3.1": [{"title": "Connexion", "url": "/aide/connexion/"}]}
