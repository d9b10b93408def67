"""The "compléments demandés" loop on the vendor's side: the dashboard's to-do list, the reviewer's
remarks at the top of the assessment, the "items commentés" filter, replies in an item's thread, and
internal reviewer notes that never reach the vendor (pages, htmx fragments, PDF report)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import State
from certificates.rendering import document_html
from certificates.snapshot import assessment_snapshot
from companies.models import Role
from instruction import services as instruction
from instruction.models import ReviewComment
from instruction.selectors import comment_threads
from portal.assessments.questionnaire import REPLIED
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.companies.factories import CompanyFactory, UserFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
DECISION = "Deux exigences à préciser avant validation."
NOTE = "Note interne : le produit a déjà été refusé en 2024."
REMARK = "Précisez la version du volet mise en œuvre pour {code}."


def html(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def company():
    return CompanyFactory(name="Alpha Santé")


@pytest.fixture
def mandataire(vendor_client_factory, company):
    return vendor_client_factory(role=Role.MANDATAIRE, company=company)


def url(name, assessment, *args):
    return reverse(f"portal:assessments:{name}", args=[assessment.public_id, *args])


def in_review(company, *, items=12):
    product_version = ProductVersionFactory(product=ProductFactory(company=company))
    assessment = AssessmentFactory(
        product_version=product_version,
        submitted=True,
        questionnaire_version=questionnaire_version(items=items),
    )
    reviewer = UserFactory(reviewer=True, first_name="Inès", last_name="Instructrice")
    services.assessment_take(assessment=assessment, actor=reviewer)
    return assessment, reviewer


def sent_back(company, *, remarked=("A08.4.1", "A08.5.23"), items=12, note=True):
    """An assessment the reviewer sent back with a remark on each ``remarked`` item, one on the whole
    assessment and (``note``) an internal note on A08.3.1, through the services."""
    assessment, reviewer = in_review(company, items=items)
    for code in remarked:
        instruction.review_comment_add(
            assessment=assessment, author=reviewer, body=REMARK.format(code=code), item_code=code
        )
    instruction.review_comment_add(assessment=assessment, author=reviewer, body="Remarque générale.")
    if note:
        instruction.review_comment_add(
            assessment=assessment, author=reviewer, body=NOTE, item_code="A08.3.1", internal=True
        )
    instruction.assessment_decide(
        assessment=assessment, decision=instruction.Decision.REQUEST_CHANGES, actor=reviewer, comment=DECISION
    )
    assessment.refresh_from_db()
    return assessment, reviewer


def remark_on(assessment, code) -> ReviewComment:
    return ReviewComment.objects.get(assessment=assessment, item__code=code, parent=None, internal=False)


# --- The dashboard's to-do list ----------------------------------------------------------------------------
def test_dashboard_lists_sent_back_assessments_with_the_number_of_items_commented(mandataire, company):
    assessment, _ = sent_back(company)
    AssessmentFactory(product_version=ProductVersionFactory(product=ProductFactory(company=company)))
    sent_back(CompanyFactory(name="Bêta Logiciels"))  # another company's: not listed

    page = html(mandataire.get(reverse("portal:home")))

    assert page.count(url("detail", assessment) + "#complements") == 1
    row = page[page.index(url("detail", assessment)) :].split("</tr>")[0]
    # Two items remarked on; the internal note's item and the general remark do not count.
    assert "<td>2</td>" in row
    assert "Aucune évaluation ne vous a été renvoyée" not in page


def test_dashboard_says_when_nothing_is_to_do(mandataire, company):
    assessment, _ = in_review(company)
    page = html(mandataire.get(reverse("portal:home")))
    assert "Aucune évaluation ne vous a été renvoyée pour compléments." in page
    assert url("detail", assessment) not in page


# --- The assessment's overview ---------------------------------------------------------------------------
def test_overview_shows_the_decision_comment_and_links_to_each_commented_item(mandataire, company):
    assessment, _ = sent_back(company)
    page = html(mandataire.get(url("detail", assessment)))

    top = page[page.index("Compléments demandés par l'agence") : page.index("Avancement")]
    assert DECISION in top
    assert "Remarque générale." in top
    assert f'href="{url("section", assessment, 0)}?filtre=commentes#item-A08-4-1-fil">A08.4.1' in top
    assert "A08.5.23" in top
    assert "A08.3.1" not in top  # its only comment is an internal note


def test_overview_of_a_draft_shows_no_remarks(mandataire, company):
    assessment = AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=company))
    )
    assert "Compléments demandés par l'agence" not in html(mandataire.get(url("detail", assessment)))


# --- The section page's filter ----------------------------------------------------------------------------
def test_section_filter_shows_only_the_commented_items(mandataire, company):
    assessment, _ = sent_back(company, remarked=("A08.4.1",))
    everything = html(mandataire.get(url("section", assessment, 0)))
    commented = html(mandataire.get(url("section", assessment, 0) + "?filtre=commentes"))

    assert everything.count('class="cv-item"') == 4
    assert commented.count('class="cv-item"') == 1
    assert 'id="item-A08-4-1"' in commented
    assert "Afficher toutes les exigences de la section" in commented
    assert "Afficher seulement les exigences commentées" in everything


@pytest.mark.parametrize("value", ["", "COMMENTES", "<script>", "commentes" * 100])
def test_section_filter_ignores_other_values(mandataire, company, value):
    assessment, _ = sent_back(company, remarked=("A08.4.1",))
    page = html(mandataire.get(url("section", assessment, 0), {"filtre": value}))
    assert page.count('class="cv-item"') == 4


# --- Replies in an item's thread ---------------------------------------------------------------------------
def test_vendor_replies_in_the_thread_and_the_reviewer_reads_it(mandataire, company, reviewer_client):
    assessment, _ = sent_back(company)
    remark = remark_on(assessment, "A08.4.1")

    response = mandataire.post(
        url("comment_reply", assessment), {"parent": remark.pk, "body": "Volet 2.1, depuis mars."}, **HTMX
    )

    fragment = html(response)
    assert response.status_code == 200
    assert "<html" not in fragment
    assert fragment.index(REMARK.format(code="A08.4.1")) < fragment.index("Volet 2.1, depuis mars.")
    reply = ReviewComment.objects.get(parent=remark)
    assert (reply.author, reply.is_published, reply.internal) == (mandataire.user, True, False)
    # The reviewer reads it on the instruction page once the vendor resubmits (the page is theirs).
    assessment.state = State.IN_REVIEW
    assessment.reviewer = reviewer_client.user
    assessment.save()
    page = html(reviewer_client.get(reverse("review:assessments:detail", args=[assessment.public_id])))
    assert "Volet 2.1, depuis mars." in page
    assert "Réponse de l'éditeur" in page


def test_reply_without_htmx_goes_back_to_the_item(mandataire, company):
    assessment, _ = sent_back(company)
    remark = remark_on(assessment, "A08.5.23")
    response = mandataire.post(url("comment_reply", assessment), {"parent": remark.pk, "body": "Fait."})
    assert response.status_code == 302
    assert response["Location"].endswith("#item-A08-5-23-fil")
    assert REPLIED in html(mandataire.get(response["Location"]))


@pytest.mark.parametrize(
    "parent",
    ["note", "other_assessment", "", "abc", "-1", "99999999999999999999", "<script>"],
)
def test_vendor_cannot_reply_to_what_they_cannot_see(mandataire, company, parent):
    assessment, _ = sent_back(company)
    other, _ = sent_back(company)
    parents = {
        "note": ReviewComment.objects.get(assessment=assessment, internal=True).pk,
        "other_assessment": remark_on(other, "A08.4.1").pk,
    }
    before = ReviewComment.objects.count()
    response = mandataire.post(
        url("comment_reply", assessment), {"parent": parents.get(parent, parent), "body": "Réponse."}
    )
    assert response.status_code == 302
    assert ReviewComment.objects.count() == before
    assert instruction.COMMENT_BAD_PARENT in html(mandataire.get(response["Location"]))


def test_no_reply_once_resubmitted(mandataire, company):
    assessment, _ = sent_back(company)
    remark = remark_on(assessment, "A08.4.1")
    services.assessment_submit(assessment=assessment, actor=mandataire.user)
    response = mandataire.post(url("comment_reply", assessment), {"parent": remark.pk, "body": "Tard."})
    assert response.status_code == 302
    assert not ReviewComment.objects.filter(parent=remark).exists()


def test_empty_reply_is_refused_in_place_with_what_was_typed(mandataire, company):
    assessment, _ = sent_back(company)
    remark = remark_on(assessment, "A08.4.1")
    response = mandataire.post(url("comment_reply", assessment), {"parent": remark.pk, "body": "   "}, **HTMX)
    assert instruction.COMMENT_EMPTY in html(response)
    assert 'id="item-A08-4-1-fil"' in html(response)
    assert not ReviewComment.objects.filter(parent=remark).exists()


def test_outsider_gets_404_on_reply(vendor_client_factory, company):
    assessment, _ = sent_back(company)
    outsider = vendor_client_factory(role=Role.MANDATAIRE)
    response = outsider.post(
        url("comment_reply", assessment), {"parent": remark_on(assessment, "A08.4.1").pk, "body": "x"}
    )
    assert response.status_code == 404


# --- Internal notes stay internal ---------------------------------------------------------------------------
def test_internal_notes_are_never_published():
    company = CompanyFactory()
    assessment, _ = sent_back(company)
    note = ReviewComment.objects.get(assessment=assessment, internal=True)
    assert not note.is_published
    assert remark_on(assessment, "A08.4.1").is_published
    assert NOTE not in str(comment_threads(assessment, published_only=True))


def test_a_reviewer_reply_in_an_internal_thread_is_internal(company):
    assessment, reviewer = in_review(company)
    note = instruction.review_comment_add(
        assessment=assessment, author=reviewer, body=NOTE, item_code="A08.3.1", internal=True
    )
    reply = instruction.review_comment_add(
        assessment=assessment, author=reviewer, body="Réponse interne.", parent_id=note.pk
    )
    assert reply.internal


def test_vendor_never_sees_an_internal_note_nor_a_pending_remark(mandataire, company):
    assessment, reviewer = sent_back(company)
    # A remark written after the sending back is the reviewer's until the next decision.
    ReviewComment.objects.create(assessment=assessment, author=reviewer, body="Pas encore publiée.")
    secrets = (NOTE, "Pas encore publiée.")
    product = assessment.product_version.product
    pages = [
        mandataire.get(reverse("portal:home")),
        mandataire.get(url("detail", assessment)),
        mandataire.get(url("section", assessment, 0)),
        mandataire.get(url("section", assessment, 0) + "?filtre=commentes"),
        mandataire.get(url("full", assessment)),
        mandataire.get(url("item", assessment, "A08.3.1"), **HTMX),
        mandataire.post(
            url("comment_reply", assessment),
            {"parent": remark_on(assessment, "A08.4.1").pk, "body": "Réponse."},
            **HTMX,
        ),
        mandataire.get(reverse("portal:products:detail", args=[product.public_id])),
    ]
    assert [page.status_code for page in pages] == [200] * len(pages)
    report = document_html(assessment_snapshot(assessment=assessment, kind="rapport"), "ABCD-EFGH")
    assert product.display_name in report
    for text in [*(html(page) for page in pages), report]:
        for secret in secrets:
            assert secret not in text


# --- Query budgets ------------------------------------------------------------------------------------
def _queries(client, path) -> int:
    client.get(path)  # warm the per-version caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _remark_everything(assessment, reviewer, count):
    items = list(assessment.questionnaire_version.items.order_by("order")[:count])
    roots = ReviewComment.objects.bulk_create(
        ReviewComment(
            assessment=assessment, item=item, author=reviewer, body=f"R {item.code}", is_published=True
        )
        for item in items
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(
            assessment=assessment,
            item=root.item,
            parent=root,
            author=reviewer,
            body="Suite",
            is_published=True,
        )
        for root in roots
    )


def test_loop_pages_query_counts_do_not_grow_with_the_items(vendor_client_factory):
    counts = {}
    for size in (3, 300):
        client = vendor_client_factory(role=Role.MANDATAIRE)
        assessment, reviewer = sent_back(client.company, items=size, remarked=("A08.4.1",))
        _remark_everything(assessment, reviewer, size)
        counts[size] = [
            _queries(client, reverse("portal:home")),
            _queries(client, url("detail", assessment)),
            _queries(client, url("section", assessment, 0) + "?filtre=commentes"),
        ]
    assert counts[3] == counts[300]
