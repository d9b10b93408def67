"""Through Chromium, the main pages run under the Content-Security-Policy without a single violation,
and the behaviours moved out of inline handlers (print, comment form reset) still work."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from companies.models import Role
from tests.accounts.helpers import make_reviewer
from tests.assessments.factories import QUALIFIED, AssessmentFactory, questionnaire_version
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of each page (Playwright injects it outside the page's policy): records
# every violation the browser reports, and stands in for the print dialog.
RECORDER = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
window.printed = false;
window.print = () => { window.printed = true; };
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations; ``watched.violations()`` → those of the current page and
    every console message about the policy so far."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORDER)

    def violations():
        reported = page.evaluate("window.cspViolations")
        return reported + [text for text in console if "Content Security Policy" in text]

    page.violations = violations
    return page


def test_questionnaire_autosave_and_full_view_run_without_violation(watched, browser_login):
    membership = MembershipFactory(role=Role.MANDATAIRE)
    assessment = AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=membership.company)),
        questionnaire_version=questionnaire_version(items=4, sections=1),
        qualification=QUALIFIED,
    )
    browser_login(membership.user)
    watched.goto(reverse("portal:home"))
    assert watched.violations() == []
    watched.goto(reverse("portal:assessments:section", args=[assessment.public_id, 0]))
    watched.locator("label[for=item-A08-3-1-vert]").click()
    expect(watched.locator("#item-A08-3-1-status")).to_contain_text("Enregistré")
    # Typing in a comment is saved after a pause, with no trigger filter for htmx to evaluate.
    watched.locator("#item-A08-3-1-comment").fill("Enregistré sans code évalué.")
    answer = assessment.answers.get(item__code="A08.3.1")
    deadline = time.monotonic() + 10
    while answer.comment != "Enregistré sans code évalué." and time.monotonic() < deadline:
        time.sleep(0.2)
        answer.refresh_from_db()
    assert (answer.level, answer.comment) == ("vert", "Enregistré sans code évalué.")
    assert watched.violations() == []
    watched.goto(reverse("portal:assessments:full", args=[assessment.public_id]))
    watched.get_by_role("button", name="Imprimer").click()
    assert watched.evaluate("window.printed") is True
    assert watched.violations() == []


def test_review_comment_form_runs_without_violation_and_empties_after_saving(watched, browser_login):
    reviewer, device = make_reviewer()
    assessment = AssessmentFactory(
        in_review=True, reviewer=reviewer, questionnaire_version=questionnaire_version()
    )
    item_id = assessment.answers.get(item__code="A08.4.1").item_id
    browser_login(reviewer, device)
    watched.goto(reverse("review:assessments:detail", kwargs={"public_id": assessment.public_id}))
    watched.get_by_role("link", name="Commenter l'exigence A08.4.1").click()
    field = watched.locator(f"#commenter-{item_id}").get_by_label("Commentaire")
    field.fill("Précisez la version du volet mise en œuvre.")
    watched.locator(f"#commenter-{item_id}").get_by_role("button", name="Enregistrer le commentaire").click()
    watched.locator(f"#fil-{item_id}").get_by_text("Précisez la version du volet").wait_for()
    expect(field).to_have_value("")  # the reset that used to be an inline hx-on handler
    assert watched.violations() == []
    watched.goto(reverse("review:statistics:index"))
    assert watched.violations() == []
