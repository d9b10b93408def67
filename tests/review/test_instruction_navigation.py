"""The instruction page for long questionnaires: a table of contents to each section, a filter on the
items changed since the last submission, a decision panel that stays in view, internal notes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import State
from instruction.models import ReviewComment
from review.assessments.views import NOTED
from tests.assessments.factories import EVERY_ITEM, AssessmentFactory, advance, answer, questionnaire_version

pytestmark = pytest.mark.django_db


def detail_url(assessment, name="detail"):
    return reverse(f"review:assessments:{name}", kwargs={"public_id": assessment.public_id})


def resubmitted(reviewer, *, items_per_section=2):
    """In review again after a resubmission in which A08.3.1 changed (orange → vert)."""
    assessment = AssessmentFactory(
        changes_requested=True,
        reviewer=reviewer,
        questionnaire_version=questionnaire_version(
            items=3 * items_per_section, per_section=items_per_section
        ),
        qualification=EVERY_ITEM,
        level="orange",
        rule_level="orange",
    )
    answer(assessment, "A08.3.1", level="vert")
    return advance(assessment, to=State.IN_REVIEW)


def item_cards(page: str) -> list[str]:
    return re.findall(r'id="exigence-([^"]+)"', page)


def test_filter_shows_only_the_items_changed_since_the_last_submission(reviewer_client):
    assessment = resubmitted(reviewer_client.user)
    everything = reviewer_client.get(detail_url(assessment)).content.decode()
    changed = reviewer_client.get(detail_url(assessment) + "?filtre=modifiees").content.decode()

    assert len(item_cards(everything)) == 6
    assert item_cards(changed) == ["A08.3.1"]
    assert "Modifiées depuis la dernière soumission (1)" in changed
    assert 'href="?filtre=modifiees#reponses" aria-current="true"' in changed


@pytest.mark.parametrize("value", ["", "MODIFIEES", "<b>x</b>", "modifiees" * 200, "commentes"])
def test_filter_ignores_other_values(reviewer_client, value):
    assessment = resubmitted(reviewer_client.user)
    page = reviewer_client.get(detail_url(assessment), {"filtre": value}).content.decode()
    assert len(item_cards(page)) == 6


def test_table_of_contents_links_every_section_and_the_decision(reviewer_client):
    assessment = resubmitted(reviewer_client.user)
    page = reviewer_client.get(detail_url(assessment)).content.decode()
    panel = page[page.index('class="cv-review-panel') :]
    for code in ("S1", "S2", "S3"):
        assert f'href="#section-{code}"' in panel
        assert f'id="section-{code}"' in page
    assert "(2 exigences, 1 modifiée)" in panel
    assert 'href="#decision"' in panel
    assert "Enregistrer la décision" in panel


def test_decision_panel_stays_in_view_through_a_stylesheet():
    stylesheet = (Path(settings.BASE_DIR) / "static/css/review.css").read_text()
    rule = stylesheet[stylesheet.index(".cv-review-panel {") :].split("}")[0]
    assert "position: sticky" in rule
    assert "overflow-y: auto" in rule


def test_panel_has_no_inline_style(reviewer_client):
    assessment = resubmitted(reviewer_client.user)
    page = reviewer_client.get(detail_url(assessment)).content.decode()
    assert "css/review.css" in page
    panel = page[page.index('class="cv-review-panel') : page.index("Enregistrer la décision")]
    assert "style=" not in panel


def test_internal_note_is_marked_and_never_published(reviewer_client):
    assessment = resubmitted(reviewer_client.user)
    response = reviewer_client.post(
        detail_url(assessment, "comment"), {"item": "A08.4.1", "body": "Déjà vu en 2024.", "internal": "on"}
    )
    assert response.status_code == 302
    assert NOTED in reviewer_client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    note = ReviewComment.objects.get()
    assert note.internal
    page = reviewer_client.get(detail_url(assessment)).content.decode()
    assert "Note interne</span>" in page

    reviewer_client.post(detail_url(assessment, "decide"), {"decision": "completer", "comment": "À revoir."})

    note.refresh_from_db()
    assert not note.is_published


def test_reply_forms_offer_no_internal_choice(reviewer_client):
    assessment = resubmitted(reviewer_client.user)
    parent = ReviewComment.objects.create(
        assessment=assessment, author=reviewer_client.user, body="Quel volet ?"
    )
    form = reviewer_client.get(
        detail_url(assessment, "comment") + f"?parent={parent.pk}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'name="internal"' not in form
    assert 'name="body"' in form


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_filtered_page_queries_do_not_grow_with_items(reviewer_client):
    few = resubmitted(reviewer_client.user, items_per_section=1)
    many = resubmitted(reviewer_client.user, items_per_section=100)
    assert _queries(reviewer_client, detail_url(few) + "?filtre=modifiees") == _queries(
        reviewer_client, detail_url(many) + "?filtre=modifiees"
    )
