"""Back office: the help centre's answers with their votes, written, published and traced here."""

import html

import pytest
from django.urls import reverse

from helpcentre.models import Entry, Facet, Vote
from helpcentre.services import UNKNOWN_ITEMS
from review.helpcentre.forms import BAD_ITEM_CODE
from tests.assessments.factories import questionnaire_version
from tests.helpcentre.factories import EntryFactory, TagFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_data(**overrides) -> dict:
    data = {
        "title": "Comment déclarer un connecteur ?",
        "body": "Répondez oui à la question de qualification sur les connecteurs.",
        "status": "draft",
        "item_codes": "A08.5.01",
    }
    return data | overrides


def test_reviewers_see_the_votes_of_each_entry(reviewer_client):
    liked = EntryFactory(title="Réponse appréciée")
    EntryFactory(title="Brouillon", draft=True)
    Vote.objects.bulk_create(
        [Vote(entry=liked, visitor=f"v{n}", useful=n < 5) for n in range(7)]  # 5 yes, 2 no
    )
    page = text(reviewer_client.get(reverse("review:helpcentre:list")))
    row = page[page.index("Réponse appréciée") :]
    row = row[: row.index("</tr>")]
    assert "<td>5</td>" in row and "<td>2</td>" in row
    assert "Brouillon" in page  # drafts are listed here
    drafts = text(reviewer_client.get(reverse("review:helpcentre:list"), {"statut": "draft"}))
    assert "Brouillon" in drafts and "Réponse appréciée" not in drafts


def test_list_query_count_is_the_same_for_3_and_300_entries(reviewer_client, django_assert_max_num_queries):
    counts = []
    for count in (3, 300):
        Entry.objects.all().delete()
        entries = Entry.objects.bulk_create(
            Entry(slug=f"q-{n}", title=f"Q {n}", body=".", status="draft") for n in range(count)
        )
        Vote.objects.bulk_create(Vote(entry=entry, visitor="v", useful=True) for entry in entries)
        with django_assert_max_num_queries(8) as captured:
            assert reviewer_client.get(reverse("review:helpcentre:list")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_draft_is_written_then_published_for_everyone(reviewer_client, client):
    questionnaire_version()
    theme = TagFactory(facet=Facet.THEME, slug="profils-dmp", label="Profils DMP")
    response = reviewer_client.post(reverse("review:helpcentre:create"), form_data(tags_theme=[theme.pk]))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert (entry.slug, entry.status, entry.published_at) == ("comment-declarer-un-connecteur", "draft", None)
    assert list(entry.tags.all()) == [theme] and entry.item_codes == ["A08.5.01"]
    assert client.get(reverse("helpcentre:entry", args=[entry.slug])).status_code == 404

    edit = reverse("review:helpcentre:edit", args=[entry.public_id])
    reviewer_client.post(
        edit, form_data(status="published", title="Déclarer un connecteur", tags_theme=[theme.pk])
    )
    entry.refresh_from_db()
    assert entry.status == "published" and entry.published_at is not None
    assert entry.slug == "comment-declarer-un-connecteur"  # the address stays: links keep working
    assert "Déclarer un connecteur" in text(client.get(reverse("helpcentre:entry", args=[entry.slug])))


def test_every_change_is_in_the_history_with_its_author(reviewer_client):
    questionnaire_version()
    reviewer_client.post(reverse("review:helpcentre:create"), form_data())
    entry = Entry.objects.get()
    edit = reverse("review:helpcentre:edit", args=[entry.public_id])
    reviewer_client.post(edit, form_data(status="published"))
    page = text(reviewer_client.get(reverse("review:helpcentre:history", args=[entry.public_id])))
    name = reviewer_client.user.get_full_name() or reviewer_client.user.email
    assert page.count(name) == 2
    assert "Création" in page and "Modification" in page
    assert "Statut : Publiée" in page and "Statut : Brouillon" in page


def test_the_edit_form_is_prefilled(reviewer_client):
    tag = TagFactory(facet=Facet.CORRIDOR, slug="hopital", label="Hôpital")
    entry = EntryFactory(title="Une question", item_codes=["A08.3.1", "URB.1.1"], tags=[tag])
    page = text(reviewer_client.get(reverse("review:helpcentre:edit", args=[entry.public_id])))
    assert 'value="Une question"' in page and 'value="A08.3.1, URB.1.1"' in page
    assert f'value="{tag.pk}"' in page and "checked" in page[page.index(f'value="{tag.pk}"') - 200 :]


@pytest.mark.parametrize(
    ("codes", "message"),
    [("ZZ.9.9", UNKNOWN_ITEMS.format(codes="ZZ.9.9")), ("%s<x>", BAD_ITEM_CODE.format(code="%s<x>"))],
)
def test_unknown_or_malformed_item_codes_are_refused_in_french(reviewer_client, codes, message):
    questionnaire_version()
    response = reviewer_client.post(reverse("review:helpcentre:create"), form_data(item_codes=codes))
    assert response.status_code == 200
    assert message in text(response)
    assert not Entry.objects.exists()


def test_a_hostile_tag_choice_is_refused(reviewer_client):
    questionnaire_version()
    response = reviewer_client.post(reverse("review:helpcentre:create"), form_data(tags_theme=["%s", "-1"]))
    assert response.status_code == 200
    assert not Entry.objects.exists()
