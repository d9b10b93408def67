from html import escape

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, State
from assessments.workflow import NOT_ASSIGNED
from certificates.models import Certificate
from instruction.models import ReviewComment
from instruction.services import COMMENT_NOT_IN_REVIEW
from review.assessments.forms import COMMENT_REQUIRED
from tests.accounts.helpers import reviewer_client as make_reviewer_client
from tests.assessments.factories import RULE_ITEMS, AssessmentFactory, advance, answer, questionnaire_version
from tests.companies.factories import MembershipFactory
from tests.helpcentre.factories import EntryFactory

pytestmark = pytest.mark.django_db


def detail_url(assessment, name="detail"):
    return reverse(f"review:assessments:{name}", kwargs={"public_id": assessment.public_id})


@pytest.fixture
def submitted():
    return AssessmentFactory(submitted=True, levels={"A08.5.01": "na"})


@pytest.fixture
def in_review(reviewer_client):
    return AssessmentFactory(in_review=True, reviewer=reviewer_client.user, rule_level="jaune")


def company_of(assessment):
    return assessment.product_version.product.company


def test_taking_assigns_the_assessment_and_colleagues_see_who_has_it(reviewer_client, submitted):
    response = reviewer_client.post(detail_url(submitted, "take"))

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.state, submitted.reviewer) == (State.IN_REVIEW, reviewer_client.user)
    colleague = make_reviewer_client()
    page = colleague.get(detail_url(submitted)).content.decode()
    assert f"Instruite par {reviewer_client.user}" in page
    assert "Enregistrer la décision" not in page


def test_instruction_page_shows_answers_profiles_and_what_changed(reviewer_client, in_review):
    # Sent back, A08.3.1 raised to vert by the vendor, submitted again and taken back.
    advance(in_review, to=State.CHANGES_REQUESTED)
    answer(in_review, "A08.3.1", level="vert", comment="Connecteur livré en mars.")
    advance(in_review, to=State.IN_REVIEW)

    page = reviewer_client.get(detail_url(in_review)).content.decode()

    assert "infrastructure de partage de documents de santé ? <strong>Oui</strong>" in page
    assert escape("A08.3.1 — Connexion synchrone avec d'autres systèmes d'information") in page
    assert "Connecteur livré en mars." in page
    assert "A08.4.1 : niveau jaune, vert requis" in page
    assert "1 exigence modifiée depuis la soumission n° 1" in page
    assert "Niveau : jaune → vert" in page
    assert "Enregistrer la décision" in page


def instruction_queries(client, items_per_section: int, reviewer) -> int:
    assessment = AssessmentFactory(
        in_review=True,
        reviewer=reviewer,
        questionnaire_version=questionnaire_version(
            items=3 * items_per_section, per_section=items_per_section
        ),
        level="orange",
        rule_level="orange",
    )
    for item_code in ("A08.3.1", "A08.4.1"):
        ReviewComment.objects.create(
            assessment=assessment,
            item=assessment.answers.get(item__code=item_code).item,
            author=reviewer,
            body="À préciser.",
        )
    client.get(detail_url(assessment))  # warm the per-version structure cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(assessment)).status_code == 200
    return len(queries)


def test_instruction_page_queries_do_not_grow_with_items(reviewer_client):
    few = instruction_queries(reviewer_client, 1, reviewer_client.user)
    many = instruction_queries(reviewer_client, 100, reviewer_client.user)

    assert few == many
    assert many <= 20


def test_items_link_the_help_centre_entries_that_explain_them(reviewer_client, submitted):
    explained = EntryFactory(title="Qu'est-ce que le volet Services ?", item_codes=["A08.4.1"])
    unpublished = EntryFactory(draft=True, item_codes=["A08.3.1"])

    page = reviewer_client.get(detail_url(submitted)).content.decode()

    card = page.split('id="exigence-A08.4.1"', 1)[1].split('class="fr-card ', 1)[0]
    entry_url = reverse("helpcentre:entry", args=[explained.slug])
    assert f'href="{entry_url}"' in card and escape(explained.title) in card
    assert reverse("helpcentre:entry", args=[unpublished.slug]) not in page


def test_help_links_cost_one_query_for_the_page(reviewer_client):
    codes = [code for code, _title, _na in RULE_ITEMS] + [f"X.{number:03d}" for number in range(1, 301)]
    EntryFactory.create_batch(2, item_codes=codes)

    few = instruction_queries(reviewer_client, 1, reviewer_client.user)
    many = instruction_queries(reviewer_client, 100, reviewer_client.user)

    assert few == many
    assert many <= 20


def test_item_comment_stays_hidden_from_vendor_until_sent_back(
    reviewer_client, in_review, django_capture_on_commit_callbacks
):
    mandataire = in_review.submissions.get().submitted_by  # a mandataire submitted it
    representant = MembershipFactory(company=company_of(in_review), representant=True)
    MembershipFactory(company=company_of(in_review))  # a salarié is not notified
    MembershipFactory(mandataire=True)  # nor another company

    response = reviewer_client.post(
        detail_url(in_review, "comment"),
        {"item": "A08.4.1", "body": "Précisez la version du volet."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Précisez la version du volet." in response.content.decode()
    comment = ReviewComment.objects.get(assessment=in_review)
    assert (comment.item.code, comment.is_published) == ("A08.4.1", False)

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            detail_url(in_review, "decide"),
            {"decision": "completer", "comment": "Deux exigences à préciser."},
        )

    assert response.status_code == 302
    in_review.refresh_from_db()
    comment.refresh_from_db()
    assert in_review.state == State.CHANGES_REQUESTED
    assert comment.is_published
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [mandataire.email, representant.user.email]
    )
    assert "renvoyée pour compléments" in mail.outbox[0].subject
    assert "Deux exigences à préciser." in mail.outbox[0].body
    product_page = reverse(
        "portal:products:detail", kwargs={"public_id": in_review.product_version.product.public_id}
    )
    assert product_page in mail.outbox[0].body


@pytest.mark.parametrize("decision", ["completer", "refuser"])
def test_request_changes_and_refusal_require_a_comment(reviewer_client, in_review, decision):
    response = reviewer_client.post(detail_url(in_review, "decide"), {"decision": decision, "comment": "  "})

    assert response.status_code == 400
    assert COMMENT_REQUIRED in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == State.IN_REVIEW
    assert mail.outbox == []


def test_refusal_notifies_the_company(reviewer_client, in_review, django_capture_on_commit_callbacks):
    # The company's one mandataire is the one who submitted the assessment.

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            detail_url(in_review, "decide"), {"decision": "refuser", "comment": "Hors périmètre."}
        )

    in_review.refresh_from_db()
    assert in_review.state == State.REFUSED
    assert in_review.transitions.latest("at").comment == "Hors périmètre."
    assert len(mail.outbox) == 1
    assert "refusée" in mail.outbox[0].subject


def test_validation_issues_the_attestation_and_notifies(
    reviewer_client, in_review, django_capture_on_commit_callbacks
):
    # The company's one mandataire is the one who submitted the assessment.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = reviewer_client.post(
            detail_url(in_review, "decide"), {"decision": "valider", "comment": ""}
        )
    for callback in callbacks:
        if "send_templated_email" in callback.__code__.co_names:
            callback()

    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == State.VALIDATED
    certificate = Certificate.objects.get(assessment=in_review)
    assert certificate.kind == Certificate.Kind.ATTESTATION
    assert len(mail.outbox) == 1
    assert "validée" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_only_the_assigned_reviewer_decides(in_review):
    colleague = make_reviewer_client()

    response = colleague.post(detail_url(in_review, "decide"), {"decision": "valider"})

    assert response.status_code == 400
    assert NOT_ASSIGNED in response.content.decode()
    assert Assessment.objects.get(pk=in_review.pk).state == State.IN_REVIEW


def test_no_comment_outside_review(reviewer_client, submitted):
    response = reviewer_client.post(
        detail_url(submitted, "comment"), {"item": "A08.3.1", "body": "Trop tôt."}
    )

    assert response.status_code == 400
    assert COMMENT_NOT_IN_REVIEW in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_comment_form_fragment_for_htmx(reviewer_client, in_review):
    response = reviewer_client.get(detail_url(in_review, "comment") + "?item=A08.4.1", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert 'value="A08.4.1"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_trail_names_the_reviewer_behind_each_change(reviewer_client, submitted):
    reviewer_client.post(detail_url(submitted, "take"))

    page = reviewer_client.get(detail_url(submitted, "trail")).content.decode()

    assert "Soumise → En instruction" in page
    assert str(reviewer_client.user) in page


def test_replies_are_threaded_under_their_comment(reviewer_client, in_review):
    url = detail_url(in_review, "comment")
    reviewer_client.post(url, {"item": "A08.4.1", "body": "Quel volet ?"}, HTTP_HX_REQUEST="true")
    parent = ReviewComment.objects.get()

    form = reviewer_client.get(
        f"{url}?item=A08.4.1&parent={parent.pk}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'name="parent" value="{parent.pk}"' in form
    response = reviewer_client.post(
        url,
        {"item": "A08.4.1", "parent": parent.pk, "body": "Réponse : le volet 2.1."},
        HTTP_HX_REQUEST="true",
    )

    reply = ReviewComment.objects.exclude(pk=parent.pk).get()
    assert (reply.parent, reply.item) == (parent, parent.item)
    html = response.content.decode()
    assert html.index("Quel volet ?") < html.index("Réponse : le volet 2.1.")
    page = reviewer_client.get(detail_url(in_review)).content.decode()
    assert "Réponse : le volet 2.1." in page


def test_an_empty_comment_under_htmx_comes_back_in_place(reviewer_client, in_review):
    response = reviewer_client.post(
        detail_url(in_review, "comment"), {"item": "A08.4.1", "body": "   "}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["HX-Retarget"].startswith("#commenter-")
    assert "Ce champ est obligatoire." in response.content.decode()


def test_a_colleague_cannot_comment_an_assessment_taken_by_someone_else(in_review):
    colleague = make_reviewer_client()

    response = colleague.post(
        detail_url(in_review, "comment"), {"item": "A08.3.1", "body": "Je passe par là."}
    )

    assert response.status_code == 400
    assert not ReviewComment.objects.exists()


def test_a_never_submitted_draft_is_not_visible_to_reviewers(reviewer_client):
    draft = AssessmentFactory()
    assert draft.state == State.DRAFT
    assert reviewer_client.get(detail_url(draft)).status_code == 404


def test_a_product_renamed_since_the_submission_shows_what_the_attestation_will_state(
    reviewer_client, in_review
):
    from products.services import product_update

    product = in_review.product_version.product
    submitted_name = product.display_name
    assert "Renommé depuis la soumission" not in reviewer_client.get(detail_url(in_review)).content.decode()

    product_update(product=product, actor=None, name="Nom changé pendant l'instruction")
    page = reviewer_client.get(detail_url(in_review)).content.decode().replace("&#x27;", "'")

    assert "Renommé depuis la soumission" in page
    assert f"L'éditeur a soumis « {submitted_name} »" in page
    assert f"version « {in_review.product_version.label} »" in page
