"""Through Chromium, the "compléments demandés" loop: the vendor finds the assessment the agency sent
back in the dashboard's to-do list, reads the reviewer's remarks, goes to the commented item, replies
in its thread, changes the answer and resubmits; the reviewer reads the reply and filters the items
changed since the last submission. axe on every page visited."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services
from instruction import services as instruction
from tests.accounts.factories import TermsVersionFactory
from tests.accounts.helpers import make_reviewer
from tests.browser.test_review_journey import submitted_assessment, vendor_page
from tests.companies.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REMARK = "Précisez quelle version du volet de partage de documents est mise en œuvre."
NOTE = "Note pour l'équipe : produit déjà vu en 2024."
REPLY = "Nous mettons en œuvre la version 2.1 du volet depuis mars."


def test_sent_back_assessment_answered_through_the_to_do_list(
    page, chromium, live_server, browser_login, axe_check
):
    TermsVersionFactory(version=1)
    mandataire = MembershipFactory(mandataire=True)
    assessment = submitted_assessment(mandataire)
    reviewer, device = make_reviewer(first_name="Inès", last_name="Instructrice")
    services.assessment_take(assessment=assessment, actor=reviewer)
    instruction.review_comment_add(assessment=assessment, author=reviewer, body=REMARK, item_code="A08.4.1")
    instruction.review_comment_add(
        assessment=assessment, author=reviewer, body=NOTE, item_code="A08.4.1", internal=True
    )
    instruction.assessment_decide(
        assessment=assessment,
        decision=instruction.Decision.REQUEST_CHANGES,
        actor=reviewer,
        comment="Une exigence est à préciser.",
    )

    # The dashboard's to-do list leads to the assessment, whose top says what is asked.
    vendor = vendor_page(chromium, live_server, mandataire.user)
    vendor.goto(reverse("portal:home"))
    todo = vendor.get_by_role("table", name="Évaluations renvoyées par l'agence pour compléments")
    expect(todo.get_by_role("row").nth(1)).to_contain_text("1")
    axe_check(vendor)
    todo.get_by_role("link", name="Agenda Santé Android Mobile").click()
    expect(vendor.locator("#complements")).to_contain_text("Une exigence est à préciser.")
    axe_check(vendor)

    # The commented item, alone on its section page: the remark, never the internal note.
    vendor.get_by_role("link", name="A08.4.1").click()
    thread = vendor.locator("#item-A08-4-1-fil")
    expect(thread).to_contain_text(REMARK)
    assert NOTE not in vendor.content()
    expect(vendor.locator("form.cv-item")).to_have_count(1)
    axe_check(vendor)

    # A reply in the thread (htmx), then the answer changed and the assessment resubmitted.
    thread.get_by_label("Répondre à l'instructeur").fill(REPLY)
    thread.get_by_role("button", name="Envoyer la réponse").click()
    expect(vendor.locator("#item-A08-4-1-fil")).to_contain_text(REPLY)
    axe_check(vendor)
    item = vendor.locator("form.cv-item", has_text="A08.4.1")
    item.locator("label[for$='-vert']").click()
    expect(item.get_by_text("Enregistré")).to_be_visible()
    vendor.goto(reverse("portal:assessments:detail", kwargs={"public_id": assessment.public_id}))
    vendor.get_by_role("button", name="Soumettre l'évaluation").click()
    vendor.get_by_text("Soumise").first.wait_for()

    # The reviewer reads the reply beside the remark and filters what changed.
    browser_login(reviewer, device)
    page.goto(reverse("review:assessments:detail", kwargs={"public_id": assessment.public_id}))
    card = page.locator("#exigence-A08\\.4\\.1")
    expect(card).to_contain_text(REPLY)
    expect(card).to_contain_text("Réponse de l'éditeur")
    expect(card).to_contain_text("Note interne")
    axe_check(page)
    page.get_by_role("link", name="Modifiées depuis la dernière soumission (1)").click()
    expect(page.locator("[id^=exigence-]")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Sommaire")).to_be_visible()
    axe_check(page)
