"""Every time shown is Europe/Paris time, including those formatted in Python and in the Jinja2
widgets (neither applies Django's localtime by itself). 06:31 UTC on 2 March is 07:31 in Paris, and
23:30 UTC on 1 March is already 2 March in Paris."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from accounts.models import KnownLoginAddress, User
from assessments.diff import submission_label
from assessments.models import Assessment, Submission
from certificates.selectors import HistoryAction, HistoryEntry
from instruction.history import _certificates as product_history_certificates
from portal.assessments.forms import _previous_label
from portal.assessments.presenters import _widgets
from products.models import Product, ProductVersion
from questionnaires.models import Questionnaire, QuestionnaireVersion
from tests.certificates.snapshots import certificate_from_snapshot

MORNING = datetime(2026, 3, 2, 6, 31, tzinfo=UTC)  # 07:31 in Paris
LATE_EVENING = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March, 00:30 in Paris


def _assessment(**fields) -> Assessment:
    questionnaire = Questionnaire(code="interop", title="Interopérabilité")
    return Assessment(
        product_version=ProductVersion(label="4.2", product=Product(name="Agenda")),
        questionnaire_version=QuestionnaireVersion(questionnaire=questionnaire, number=1),
        **fields,
    )


def test_the_compare_dropdown_labels_a_submission_in_paris_time():
    submission = Submission(assessment=_assessment(), number=2, submitted_at=MORNING)
    assert submission_label(submission) == "Version 4.2 — soumission n° 2 du 02/03/2026 07:31"


def test_a_certificate_event_tells_its_time_in_paris():
    event = HistoryEntry(at=MORNING, action=HistoryAction.REVOKED, actor="Système")
    assert str(event).endswith("le 02/03/2026 07:31")


def test_the_reviewer_remark_widget_dates_in_paris():
    from portal.assessments.presenters import item_thread

    reviewer = SimpleNamespace(pk=1, is_reviewer=True)
    remark = SimpleNamespace(
        pk=7, created_at=LATE_EVENING, body="À compléter.", author=reviewer, thread_replies=[]
    )
    html = str(_widgets("review_comments").review_comments(item_thread("A08.3.1", [remark])))
    assert "(2 mars 2026 à 00:30)" in html


def test_the_start_form_dates_a_previous_assessment_in_paris():
    assessment = _assessment(created_at=LATE_EVENING, state=Assessment.State.VALIDATED)
    assert "commencée le 02/03/2026" in _previous_label(assessment)


@pytest.mark.django_db
def test_the_product_history_dates_a_revocation_in_paris():
    certificate = certificate_from_snapshot(revoked_at=LATE_EVENING, revocation_reason="Erreur de saisie.")
    (entry,) = product_history_certificates(product=certificate.assessment.product_version.product)
    assert entry.title.endswith("(révoqué le 02/03/2026)")


def test_a_known_login_address_dates_in_paris():
    address = KnownLoginAddress(user=User(email="a@example.fr"), last_seen_at=LATE_EVENING)
    assert str(address).endswith("depuis le 02/03/2026")
