"""Diff between two submissions: level, N/A, justification and comment changes, matched by code."""

from types import SimpleNamespace

import pytest

from assessments import diff
from assessments.models import Submission
from tests.assessments.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def submission(assessment, number, answers):
    return Submission(assessment=assessment, number=number, answers=answers, qualification={}, profiles={})


def answer(level="", justification="", comment=""):
    return {"level": level, "justification": justification, "comment": comment}


def test_only_changed_items_are_listed_old_to_new():
    assessment = AssessmentFactory()
    before = submission(
        assessment,
        1,
        {"A08.3.1": answer("jaune"), "A08.4.1": answer("vert"), "X.001": answer("na", "Hors champ")},
    )
    after = submission(
        assessment,
        2,
        {"A08.3.1": answer("vert"), "A08.4.1": answer("vert"), "X.001": answer("na", "Hors champ", "Vu")},
    )
    result = diff.submission_diff(before, after)
    assert [item.code for item in result.items] == ["A08.3.1", "X.001"]
    first = result.items[0]
    assert first.title == "Connexion synchrone avec d'autres systèmes d'information"
    assert [(c.label, c.old, c.new) for c in first.changes] == [("Niveau", "jaune", "vert")]
    assert [(c.label, c.old, c.new) for c in result.items[1].changes] == [("Commentaire", "", "Vu")]


def test_na_and_unanswered_read_in_french_and_one_sided_items_count():
    assessment = AssessmentFactory()
    before = submission(assessment, 1, {"A08.5.23": answer("jaune"), "X.002": answer("rouge")})
    after = submission(assessment, 2, {"A08.5.23": answer("na", "Ne consulte pas")})
    changes = {item.code: item.changes for item in diff.submission_diff(before, after).items}
    assert [(c.old, c.new) for c in changes["A08.5.23"]] == [
        ("jaune", "non applicable"),
        ("", "Ne consulte pas"),
    ]
    assert [(c.old, c.new) for c in changes["X.002"]] == [("rouge", "sans réponse")]


def test_requested_diff_needs_two_submissions_of_the_same_version():
    one, other = AssessmentFactory(), AssessmentFactory()
    first, second, foreign = submission(one, 1, {}), submission(one, 2, {}), submission(other, 1, {})
    submissions = [first, second, foreign]
    key = diff.submission_key
    assert diff.requested_diff(submissions, {"avant": key(first), "apres": key(second)}) is not None
    assert diff.requested_diff(submissions, {"avant": key(first), "apres": key(first)}) is None
    assert diff.requested_diff(submissions, {"avant": key(first), "apres": key(foreign)}) is None
    assert diff.requested_diff(submissions, {"avant": "x", "apres": "y"}) is None
    assert diff.requested_diff(submissions, SimpleNamespace(get=lambda *_: "")) is None
