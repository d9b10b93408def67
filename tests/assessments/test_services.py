import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from assessments import selectors, services
from assessments.models import Answer, Assessment, State, Submission
from assessments.selectors import assessment_progress, missing_items
from audit.models import AnswerEvent
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill, questionnaire_version
from tests.companies.factories import MembershipFactory, UserFactory
from tests.products.factories import ProductVersionFactory

pytestmark = pytest.mark.django_db


def mandataire(assessment):
    return MembershipFactory(company=assessment.product_version.product.company, mandataire=True).user


def save(assessment, code, level, *, revision=None, actor=None, justification="", comment=""):
    if revision is None:
        revision = Answer.objects.get(assessment=assessment, item__code=code).revision
    return services.answer_save(
        assessment=assessment,
        item_code=code,
        level=level,
        justification=justification,
        comment=comment,
        expected_revision=revision,
        actor=actor,
    ).answer


# --- Start --------------------------------------------------------------------------------------------
def test_start_creates_one_empty_answer_per_item_and_computes_profiles():
    version = questionnaire_version(items=20)
    assessment = services.assessment_start(
        product_version=ProductVersionFactory(), questionnaire_version=version, actor=None
    )
    assert assessment.state == State.DRAFT
    assert Answer.objects.filter(assessment=assessment, level="", revision=0).count() == 20
    assert set(assessment.profiles) == {"administration", "alimentation", "consultation"}
    assert assessment.reached_profiles == []


def test_start_refuses_a_draft_questionnaire():
    with pytest.raises(ValidationError) as error:
        services.assessment_start(
            product_version=ProductVersionFactory(),
            questionnaire_version=questionnaire_version(publish=False),
            actor=None,
        )
    assert error.value.messages == [services.QUESTIONNAIRE_NOT_PUBLISHED]


def test_start_refuses_a_second_open_assessment_of_the_same_version():
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError) as error:
        services.assessment_start(
            product_version=assessment.product_version,
            questionnaire_version=assessment.questionnaire_version,
            actor=None,
        )
    assert error.value.messages == [services.ALREADY_OPEN]


def test_carry_over_copies_matching_items_and_says_what_is_new():
    previous = AssessmentFactory(answered=True)
    save(previous, "X.001", "na", justification="Pas de cas d'usage.")
    product = previous.product_version.product
    new_version = ProductVersionFactory(product=product)
    assessment = services.assessment_start(
        product_version=new_version,
        questionnaire_version=previous.questionnaire_version,
        actor=None,
        carry_from=previous,
    )
    assert assessment.qualification == QUALIFIED
    carried = Answer.objects.get(assessment=assessment, item__code="X.001")
    assert (carried.level, carried.justification) == ("na", "Pas de cas d'usage.")
    assert set(assessment.reached_profiles) == {"alimentation", "consultation"}
    summary = services.carry_over_summary(assessment=assessment)
    assert "A08.3.1" in summary.carried
    assert summary.new == ["A08.4.2"]  # gated on MSSanté, so never answered before


def test_carry_over_only_from_the_same_product():
    previous = AssessmentFactory()
    with pytest.raises(ValidationError) as error:
        services.assessment_start(
            product_version=ProductVersionFactory(),
            questionnaire_version=previous.questionnaire_version,
            actor=None,
            carry_from=previous,
        )
    assert error.value.messages == [services.CARRY_OTHER_PRODUCT]


# --- Qualification --------------------------------------------------------------------------------------
def test_qualification_lists_every_problem():
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError) as error:
        services.qualification_save(
            assessment=assessment, answers={"infra_partage": "peut-être", "inconnue": True}, actor=None
        )
    assert services.UNKNOWN_QUESTION.format(code="inconnue") in error.value.messages
    assert len(error.value.messages) == 5  # unknown, a bad value, three unanswered


def test_qualification_decides_applicable_items_and_profiles():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    assert "A08.4.2" not in {item["code"] for item in missing_items(assessment)}
    services.qualification_save(
        assessment=assessment, answers=QUALIFIED | {"messagerie_mssante": True}, actor=None
    )
    assert "A08.4.2" in {item["code"] for item in missing_items(assessment)}


# --- Answers --------------------------------------------------------------------------------------------
def test_answer_save_bumps_the_revision_and_records_who():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    user = UserFactory()
    answer = save(assessment, "A08.3.1", "vert", revision=0, actor=user, comment=" Via le connecteur. ")
    assert (answer.level, answer.revision, answer.updated_by, answer.comment) == (
        "vert",
        1,
        user,
        "Via le connecteur.",
    )


def test_stale_revision_is_a_conflict_carrying_the_newer_answer_and_its_author():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    colleague = UserFactory(first_name="Camille", last_name="Durand")
    save(assessment, "A08.3.1", "vert", revision=0, actor=colleague)
    with pytest.raises(services.AnswerConflict) as conflict:
        save(assessment, "A08.3.1", "rouge", revision=0, actor=UserFactory())
    assert (conflict.value.answer.level, conflict.value.answer.updated_by) == ("vert", colleague)
    assert Answer.objects.get(assessment=assessment, item__code="A08.3.1").level == "vert"


def test_stale_revision_with_identical_values_is_not_a_conflict():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    save(assessment, "A08.3.1", "vert", revision=0)
    assert save(assessment, "A08.3.1", "vert", revision=0).revision == 1


def answer_updates(assessment) -> int:
    return AnswerEvent.objects.filter(assessment=assessment, pgh_label="update").count()


def test_saving_the_values_an_answer_holds_writes_nothing():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    author, colleague = UserFactory(), UserFactory()
    save(assessment, "A08.3.1", "vert", revision=0, actor=author, comment="Via le connecteur.")
    saved = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    updates = answer_updates(assessment)
    for revision in (1, 0):  # the current revision, then a stale one
        same = save(
            assessment, "A08.3.1", "vert", revision=revision, actor=colleague, comment=" Via le connecteur. "
        )
        assert (same.revision, same.updated_by, same.updated_at) == (1, author, saved.updated_at)
    row = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    assert (row.revision, row.updated_by, row.updated_at) == (1, author, saved.updated_at)
    assert answer_updates(assessment) == updates  # no history row either


@pytest.mark.parametrize("revision", [1, 0], ids=["current", "stale"])
def test_an_answer_to_review_saved_with_the_values_it_holds_is_confirmed(revision):
    assessment = AssessmentFactory(qualification=QUALIFIED)
    save(assessment, "A08.3.1", "vert", revision=0)
    Answer.objects.filter(assessment=assessment, item__code="A08.3.1").update(to_review=True)
    updates, user = answer_updates(assessment), UserFactory()
    with CaptureQueriesContext(connection) as queries:
        confirmed = save(assessment, "A08.3.1", "vert", revision=revision, actor=user)
    read = any('SELECT "assessments_answer"."id"' in query["sql"] for query in queries)
    assert read is (revision == 0)  # one write, unless the stale revision needs the answer read
    row = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    assert (confirmed.to_review, confirmed.revision, confirmed.updated_by) == (False, 2, user)
    assert (row.to_review, row.revision, row.updated_by) == (False, 2, user)
    assert answer_updates(assessment) == updates + 1


def test_a_save_returns_what_it_wrote_without_reading_the_answer_back():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        answer = save(assessment, "A08.3.1", "vert", revision=0, actor=user, comment=" Lu. ")
    reads = [q["sql"] for q in queries if 'SELECT "assessments_answer"."id"' in q["sql"]]
    assert reads == []
    row = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    for name in ("item_id", "level", "justification", "comment", "declared_on", "revision", "updated_by"):
        assert getattr(answer, name) == getattr(row, name), name


def test_a_new_comment_alone_is_saved():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    save(assessment, "A08.3.1", "vert", revision=0, comment="Via le connecteur.")
    updates = answer_updates(assessment)
    answer = save(assessment, "A08.3.1", "vert", revision=1, comment="Via le connecteur et l'API.")
    row = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    assert (
        (answer.revision, answer.comment) == (row.revision, row.comment) == (2, "Via le connecteur et l'API.")
    )
    assert answer_updates(assessment) == updates + 1


def answer_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if 'UPDATE "assessments_answer"' in q["sql"]]


def test_only_a_save_keeping_level_and_justification_compares_the_other_values():
    """The answers are read before the write: a new level (or justification) is a change by itself,
    written without the condition that keeps a save of unchanged values from writing."""
    assessment = AssessmentFactory(qualification=QUALIFIED)
    with CaptureQueriesContext(connection) as new_level:
        save(assessment, "A08.3.1", "vert", revision=0, comment="Lu.")
    with CaptureQueriesContext(connection) as same_level:
        save(assessment, "A08.3.1", "vert", revision=1, comment="Relu.")
    [written] = answer_writes(new_level)
    [compared] = answer_writes(same_level)
    assert "NOT (" not in written
    assert "NOT (" in compared


@pytest.mark.parametrize("outcome", ["written", "unchanged", "confirmed"])
def test_a_save_returns_every_answer_as_committed_with_it(outcome):
    assessment = AssessmentFactory(qualification=QUALIFIED)
    fill(assessment)
    answer = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    if outcome == "confirmed":
        Answer.objects.filter(pk=answer.pk).update(to_review=True)
    level = "rouge" if outcome == "written" else answer.level
    saved = services.answer_save(
        assessment=assessment,
        item_code="A08.3.1",
        level=level,
        justification=answer.justification,
        comment=answer.comment,
        expected_revision=answer.revision,
        actor=None,
    )
    assert saved.values == selectors.answer_values(assessment)
    assert saved.values[answer.item_id] == (level, "")
    row = Answer.objects.get(pk=answer.pk)
    assert row.revision == answer.revision + (outcome != "unchanged")


@pytest.mark.django_db(transaction=True)
def test_of_two_saves_from_the_same_revision_the_later_one_is_a_conflict():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    outcome = {}

    def colleague():  # another request, loaded at revision 0 too, with another level
        try:
            save(Assessment.objects.get(pk=assessment.pk), "A08.3.1", "rouge", revision=0)
        except services.AnswerConflict as conflict:
            outcome["theirs"] = conflict.answer
        finally:
            connection.close()

    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        services.answer_save(
            assessment=locked, item_code="A08.3.1", level="vert", expected_revision=0, actor=None, locked=True
        )
        later = threading.Thread(target=colleague)
        later.start()
        later.join(timeout=0.5)
        assert later.is_alive()  # waiting for the first save's lock
    later.join(timeout=10)
    assert (outcome["theirs"].level, outcome["theirs"].revision) == ("vert", 1)
    row = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    assert (row.level, row.revision) == ("vert", 1)


@pytest.mark.parametrize(
    ("code", "level", "message"),
    [
        ("A08.3.1", "na", services.NA_FORBIDDEN.format(code="A08.3.1")),
        ("A08.3.1", "violet", services.UNKNOWN_LEVEL.format(level="violet")),
        ("A08.4.2", "vert", services.ITEM_NOT_APPLICABLE.format(code="A08.4.2")),
        ("Z.9", "vert", services.UNKNOWN_ITEM.format(code="Z.9")),
    ],
)
def test_invalid_answers_are_refused_with_a_clear_message(code, level, message):
    assessment = AssessmentFactory(qualification=QUALIFIED)
    with pytest.raises(ValidationError) as error:
        save(assessment, code, level, revision=0)
    assert message in error.value.messages


def test_answer_save_recomputes_profiles_in_the_same_transaction():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    for code in ("A08.3.1", "A08.4.1", "A08.5.01"):
        save(assessment, code, "vert")
    assessment.refresh_from_db()
    assert assessment.reached_profiles == ["alimentation"]
    assert assessment.profiles["consultation"]["missing"] == [
        "A08.5.23 : sans réponse, au moins jaune requis"
    ]
    save(assessment, "A08.5.23", "jaune")
    assessment.refresh_from_db()
    assert assessment.reached_profiles == ["alimentation", "consultation"]
    save(assessment, "A08.3.1", "orange")
    assessment.refresh_from_db()
    assert assessment.reached_profiles == []


def test_assessment_row_is_written_only_when_the_profiles_change():
    assessment = AssessmentFactory(qualification=QUALIFIED)

    def assessment_writes(code, level, comment=""):
        with CaptureQueriesContext(connection) as queries:
            save(assessment, code, level, comment=comment)
        return [q["sql"] for q in queries if 'UPDATE "assessments_assessment"' in q["sql"]]

    assert len(assessment_writes("A08.3.1", "vert")) == 1  # what is missing changes
    # A rule item whose comment changes: recomputed, same profiles, nothing written.
    assert assessment_writes("A08.3.1", "vert", comment="Via le connecteur.") == []
    assert len(assessment_writes("A08.3.1", "jaune")) == 1
    assessment.refresh_from_db()
    assert assessment.profiles["alimentation"]["missing"][0].startswith("A08.3.1")


def test_na_on_a_rule_item_never_satisfies_a_profile():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    for code in ("A08.3.1", "A08.4.1"):
        save(assessment, code, "vert")
    save(assessment, "A08.5.23", "na", justification="Ne consulte pas.")
    assessment.refresh_from_db()
    assert "consultation" not in assessment.reached_profiles


def test_answers_of_a_submitted_assessment_cannot_change():
    assessment = AssessmentFactory(submitted=True)
    with pytest.raises(ValidationError) as error:
        save(assessment, "A08.3.1", "rouge")
    assert error.value.messages == [services.NOT_EDITABLE.format(state="Soumise")]


def answer_save_queries(items):
    assessment = AssessmentFactory(
        qualification=QUALIFIED, questionnaire_version=questionnaire_version(items=items)
    )
    save(assessment, "X.001", "jaune")  # warm the per-process definition memo
    user = UserFactory()
    with CaptureQueriesContext(connection) as rule_item:
        save(assessment, "A08.3.1", "vert", revision=0, actor=user)
    with CaptureQueriesContext(connection) as other_item:
        save(assessment, "X.002", "vert", revision=0)
    return len(rule_item), len(other_item)


def test_answer_save_uses_a_small_constant_number_of_queries():
    few, many = answer_save_queries(8), answer_save_queries(300)
    assert few == many
    # Savepoint, lock, every answer's level, the answer's conditional update (the answer itself is not
    # read), and for the rule item only the new profiles; the savepoint's release.
    assert few[0] <= 6 and few[1] <= 5, few


# --- Submission and review ----------------------------------------------------------------------------
def test_submit_requires_every_applicable_item_and_lists_the_missing_ones():
    assessment = AssessmentFactory(
        qualification=QUALIFIED, questionnaire_version=questionnaire_version(items=8)
    )
    fill(assessment)
    save(assessment, "X.001", "na")  # N/A without justification
    save(assessment, "X.002", "")
    with pytest.raises(services.AssessmentIncomplete) as error:
        services.assessment_submit(assessment=assessment, actor=mandataire(assessment))
    assert [(m["code"], m["reason"]) for m in error.value.missing] == [
        ("X.001", "« non applicable » sans justification"),
        ("X.002", "sans réponse"),
    ]
    assert error.value.messages == [services.ASSESSMENT_INCOMPLETE.format(count=2)]
    assert Assessment.objects.get(pk=assessment.pk).state == State.DRAFT


def test_salarie_is_refused_before_completeness_is_checked():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    salarie = MembershipFactory(company=assessment.product_version.product.company).user
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(assessment=assessment, actor=salarie)
    assert not isinstance(error.value, services.AssessmentIncomplete)


def test_submit_freezes_a_numbered_submission():
    assessment = AssessmentFactory(answered=True)
    services.assessment_submit(assessment=assessment, actor=mandataire(assessment))
    submission = Submission.objects.get(assessment=assessment)
    assert submission.number == 1
    assert submission.answers["A08.3.1"] == {"level": "vert", "justification": "", "comment": ""}
    assert "A08.4.2" not in submission.answers  # not applicable
    assert submission.profiles == assessment.profiles
    assert assessment_progress(assessment)["percent"] == 100


def test_review_round_trip_through_the_services():
    assessment = AssessmentFactory(submitted=True)
    reviewer = UserFactory(reviewer=True)
    services.assessment_take(assessment=assessment, actor=reviewer)
    services.assessment_request_changes(assessment=assessment, actor=reviewer, comment="Justifiez A08.5.23.")
    save(assessment, "A08.5.23", "jaune", comment="Précision apportée.")
    services.assessment_submit(assessment=assessment, actor=mandataire(assessment))
    assert Submission.objects.filter(assessment=assessment).count() == 2
    services.assessment_take(assessment=assessment, actor=reviewer)
    services.assessment_validate(assessment=assessment, actor=reviewer)
    assessment.refresh_from_db()
    assert assessment.state == State.VALIDATED
    assert assessment.reached_profiles == ["alimentation", "consultation"]


def test_refuse_needs_a_comment():
    assessment = AssessmentFactory(submitted=True)
    reviewer = UserFactory(reviewer=True)
    services.assessment_take(assessment=assessment, actor=reviewer)
    with pytest.raises(ValidationError):
        services.assessment_refuse(assessment=assessment, actor=reviewer, comment="")
    services.assessment_refuse(assessment=assessment, actor=reviewer, comment="Hors périmètre.")
    assert Assessment.objects.get(pk=assessment.pk).state == State.REFUSED


@pytest.mark.django_db(transaction=True)
def test_a_locked_save_outside_a_transaction_is_refused():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    with pytest.raises(TransactionManagementError):
        services.answer_save(
            assessment=assessment,
            item_code="A08.3.1",
            level="vert",
            expected_revision=0,
            actor=None,
            locked=True,
        )
    assert Answer.objects.get(assessment=assessment, item__code="A08.3.1").level == ""
