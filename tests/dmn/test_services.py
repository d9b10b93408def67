"""Rules of the DMN candidature: operator only, 1 to 5 lines, outside the lines, one certificate for
several lines or one candidature per line, per-line resubmission, a new device version."""

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Answer, Assessment, State
from dmn import services
from dmn.models import Candidature, CandidatureTransition, Capacity, DeviceCapacity, Grouping, Line
from proofs.models import Proof
from tests.accounts.factories import UserFactory
from tests.dmn.factories import complete, complete_candidature, file_candidatures, import_dmn, operator
from tests.products.factories import ProductVersionFactory

pytestmark = pytest.mark.django_db

TWO_LINES = [Line.DIABETE, Line.CARDIAQUE]


@pytest.fixture(autouse=True)
def dmn_questionnaires(db):
    return import_dmn()


def submitted(lines=TWO_LINES, grouping=Grouping.TOGETHER):
    product_version, user = operator()
    candidatures = file_candidatures(product_version, user, lines, grouping)
    for candidature in candidatures:
        complete_candidature(candidature, user)
        services.candidature_submit(candidature=candidature, actor=user)
    return candidatures, user


def test_only_the_operator_may_file_and_its_capacity_is_recorded_on_the_product():
    product_version, user = operator()
    with pytest.raises(ValidationError) as refused:
        services.candidature_create(
            product_version=product_version,
            lines=[Line.DIABETE],
            grouping=Grouping.TOGETHER,
            capacity=Capacity.MANUFACTURER,
            actor=user,
        )
    assert refused.value.messages == [services.OPERATOR_ONLY]
    assert not Candidature.objects.exists()
    (candidature,) = file_candidatures(product_version, user, [Line.DIABETE])
    assert DeviceCapacity.objects.get(product=product_version.product).capacity == Capacity.OPERATOR
    assert candidature.state == State.DRAFT


def test_a_candidature_covers_one_to_five_lines_each_with_its_questionnaire():
    product_version, user = operator()
    with pytest.raises(ValidationError) as refused:
        file_candidatures(product_version, user, [])
    assert refused.value.messages == [services.NO_LINE]
    with pytest.raises(ValidationError):
        file_candidatures(product_version, user, ["oncologie"])
    (candidature,) = file_candidatures(product_version, user, list(Line.values))
    assessments = services.candidature_assessments(candidature)
    codes = [a.questionnaire_version.questionnaire.code for a in assessments]
    assert codes == [
        "dmn_referentiel",
        "dmn_cardiaque",
        "dmn_diabete",
        "dmn_protheses",
        "dmn_renal",
        "dmn_respiratoire",
    ]


def test_outside_the_lines_says_plainly_the_path_does_not_apply_and_creates_nothing():
    product_version, user = operator()
    with pytest.raises(services.OutsideLines) as outside:
        services.candidature_create(
            product_version=product_version,
            lines=[],
            grouping=Grouping.TOGETHER,
            capacity=Capacity.OPERATOR,
            outside=True,
            actor=user,
        )
    assert "nom de marque" in outside.value.messages[0]
    assert not Candidature.objects.exists() and not Assessment.objects.exists()


def test_a_line_cannot_have_two_open_candidatures_for_one_version():
    product_version, user = operator()
    file_candidatures(product_version, user, [Line.DIABETE])
    with pytest.raises(ValidationError) as refused:
        file_candidatures(product_version, user, [Line.CARDIAQUE, Line.DIABETE])
    assert refused.value.messages == [services.LINE_ALREADY_OPEN.format(line="Diabète")]


def test_one_per_line_files_a_candidature_per_line_sharing_the_referential():
    product_version, user = operator()
    candidatures = file_candidatures(product_version, user, TWO_LINES, Grouping.PER_LINE)
    assert [[row.line for row in c.lines.all()] for c in candidatures] == [["diabete"], ["cardiaque"]]
    assert len({c.referential_id for c in candidatures}) == 1


def test_submission_is_refused_while_a_questionnaire_lacks_answers_or_proofs():
    product_version, user = operator()
    (candidature,) = file_candidatures(product_version, user, TWO_LINES)
    referential, heart, diabetes = services.candidature_assessments(candidature)  # lines in code order
    complete(referential, user)
    complete(diabetes, user)
    Answer.objects.filter(assessment=heart).update(level="vert", revision=1)  # no alert report
    with pytest.raises(ValidationError) as refused:
        services.candidature_submit(candidature=candidature, actor=user)
    title = "Spécifications techniques — Insuffisance cardiaque chronique"
    assert refused.value.messages == [services.INCOMPLETE.format(questionnaire=title, count=1)]
    assert Assessment.objects.filter(state=State.SUBMITTED).count() == 0  # all or nothing
    candidature.refresh_from_db()
    assert candidature.state == State.DRAFT


def test_submission_needs_a_role_that_may_submit():
    product_version, user = operator()
    (candidature,) = file_candidatures(product_version, user, [Line.DIABETE])
    complete_candidature(candidature, user)
    with pytest.raises(ValidationError):
        services.candidature_submit(candidature=candidature, actor=UserFactory())


def test_validation_validates_every_questionnaire_of_the_candidature_and_logs_it():
    (candidature,), _ = submitted()
    reviewer = UserFactory(reviewer=True)
    services.candidature_take(candidature=candidature, actor=reviewer)
    services.candidature_decide(candidature=candidature, decision=services.Decision.VALIDATE, actor=reviewer)
    states = {a.state for a in services.candidature_assessments(candidature)}
    assert states == {State.VALIDATED} and candidature.state == State.VALIDATED
    log = list(
        CandidatureTransition.objects.filter(candidature=candidature).values_list("to_state", flat=True)
    )
    assert log == [State.SUBMITTED, State.IN_REVIEW, State.VALIDATED]


def test_changes_and_refusal_need_a_comment():
    (candidature,), _ = submitted()
    reviewer = UserFactory(reviewer=True)
    services.candidature_take(candidature=candidature, actor=reviewer)
    for decision in (services.Decision.REQUEST_CHANGES, services.Decision.REFUSE):
        with pytest.raises(ValidationError):
            services.candidature_decide(candidature=candidature, decision=decision, actor=reviewer)
    assert Candidature.objects.get(pk=candidature.pk).state == State.IN_REVIEW


def test_only_the_reviewer_who_took_it_decides():
    (candidature,), _ = submitted()
    services.candidature_take(candidature=candidature, actor=UserFactory(reviewer=True))
    with pytest.raises(ValidationError):
        services.candidature_decide(
            candidature=candidature, decision=services.Decision.VALIDATE, actor=UserFactory(reviewer=True)
        )


def test_per_line_resubmission_leaves_the_other_line_validated():
    (diabetes, heart), user = submitted(grouping=Grouping.PER_LINE)
    reviewer = UserFactory(reviewer=True)
    for candidature in (diabetes, heart):
        services.candidature_take(candidature=candidature, actor=reviewer)
    services.candidature_decide(candidature=diabetes, decision=services.Decision.VALIDATE, actor=reviewer)
    services.candidature_decide(
        candidature=heart,
        decision=services.Decision.REQUEST_CHANGES,
        actor=reviewer,
        comment="Le rapport de tests de l'alerte de prise de poids n'est pas daté.",
    )
    heart_line = heart.lines.get().assessment
    assert heart_line.__class__.objects.get(pk=heart_line.pk).state == State.CHANGES_REQUESTED
    services.candidature_submit(candidature=heart, actor=user)
    heart.refresh_from_db()
    diabetes.refresh_from_db()
    assert (heart.state, diabetes.state) == (State.SUBMITTED, State.VALIDATED)
    assert Assessment.objects.get(pk=diabetes.lines.get().assessment_id).state == State.VALIDATED
    assert Assessment.objects.get(pk=heart.referential_id).state == State.VALIDATED


def test_a_new_device_version_carries_answers_and_proofs_of_the_impacted_line_only():
    (diabetes, heart), user = submitted(grouping=Grouping.PER_LINE)
    reviewer = UserFactory(reviewer=True)
    for candidature in (diabetes, heart):
        services.candidature_take(candidature=candidature, actor=reviewer)
        services.candidature_decide(
            candidature=candidature, decision=services.Decision.VALIDATE, actor=reviewer
        )
    new_version = ProductVersionFactory(product=diabetes.product_version.product, label="5.0 renouvelée")
    renewal = services.candidature_renew(
        previous=heart, product_version=new_version, lines=[Line.CARDIAQUE], actor=user
    )
    (renewed,) = renewal.candidatures
    assert renewed.carried_from == heart and [row.line for row in renewed.lines.all()] == ["cardiaque"]
    line_assessment = renewed.lines.get().assessment
    assert line_assessment.carried_from_id == heart.lines.get().assessment_id
    assert Answer.objects.filter(assessment=line_assessment, level="vert").count() == 3
    carried = Proof.objects.filter(assessment=line_assessment)
    assert carried.count() == 1 and carried.get().status == Proof.Status.TO_CHECK
    assert renewal.carried_proofs > 1  # the referential's proofs too
    assert Assessment.objects.get(pk=renewed.referential_id).carried_from_id == heart.referential_id


def test_a_candidature_for_several_lines_is_renewed_whole():
    (together,), user = submitted()
    new_version = ProductVersionFactory(product=together.product_version.product, label="5.0 renouvelée")
    with pytest.raises(ValidationError) as refused:
        services.candidature_renew(
            previous=together, product_version=new_version, lines=[Line.DIABETE], actor=user
        )
    assert refused.value.messages == [services.RENEW_ALL_LINES]


def test_a_dmn_questionnaire_cannot_be_started_as_a_self_assessment():
    from assessments.models import Assessment
    from assessments.services import DMN_OUTSIDE_CANDIDATURE, assessment_start
    from questionnaires.selectors import published_version

    product_version, user = operator()
    for code in ("dmn_referentiel", "dmn_diabete"):
        with pytest.raises(ValidationError) as refused:
            assessment_start(
                product_version=product_version, questionnaire_version=published_version(code), actor=user
            )
        assert refused.value.messages == [DMN_OUTSIDE_CANDIDATURE]
    assert not Assessment.objects.filter(product_version=product_version).exists()


# --- A questionnaire of a candidature moves only with it (assessments.workflow) -------------------------
def _moves_of(assessment) -> tuple:
    fresh = Assessment.objects.get(pk=assessment.pk)
    return fresh.state, fresh.transitions.count(), fresh.submissions.count(), fresh.reviewer_id


@pytest.mark.parametrize("submit", ["assessments", "proofs"])
def test_a_dmn_questionnaire_is_not_submitted_alone_by_the_services(submit):
    from assessments import services as assessment_services
    from assessments.workflow import SUBMIT_WITH_CANDIDATURE
    from proofs import services as proof_services

    product_version, user = operator()
    (candidature,) = file_candidatures(product_version, user, [Line.DIABETE])
    complete_candidature(candidature, user)
    service = {"assessments": assessment_services, "proofs": proof_services}[submit]
    for assessment in services.candidature_assessments(candidature):
        before = _moves_of(assessment)
        with pytest.raises(ValidationError) as refused:
            service.assessment_submit(assessment=assessment, actor=user)
        assert refused.value.messages == [SUBMIT_WITH_CANDIDATURE]
        assert _moves_of(assessment) == before
        assert not Proof.objects.filter(assessment=assessment, frozen_at__isnull=False).exists()
    # The candidature still submits them all.
    services.candidature_submit(candidature=candidature, actor=user)
    assert {a.state for a in services.candidature_assessments(candidature)} == {State.SUBMITTED}


def test_a_dmn_questionnaire_is_not_taken_nor_decided_alone_by_the_services():
    from assessments import services as assessment_services
    from assessments import workflow
    from assessments.workflow import REVIEW_WITH_CANDIDATURE

    (candidature,), _user = submitted([Line.DIABETE])
    reviewer = UserFactory(reviewer=True)
    line = candidature.lines.get().assessment
    assert not workflow.allowed(assessment=line, to=State.IN_REVIEW, actor=reviewer)
    before = _moves_of(line)
    with pytest.raises(ValidationError) as refused:
        assessment_services.assessment_take(assessment=line, actor=reviewer)
    assert refused.value.messages == [REVIEW_WITH_CANDIDATURE]
    assert _moves_of(line) == before

    services.candidature_take(candidature=candidature, actor=reviewer)
    line = Assessment.objects.get(pk=line.pk)
    assert line.state == State.IN_REVIEW and line.reviewer_id == reviewer.pk
    assert workflow.instructing(assessment=line, actor=reviewer)
    assert not workflow.allowed(assessment=line, to=State.VALIDATED, actor=reviewer)
    before = _moves_of(line)
    for decide in (
        assessment_services.assessment_validate,
        assessment_services.assessment_request_changes,
        assessment_services.assessment_refuse,
    ):
        with pytest.raises(ValidationError) as refused:
            decide(assessment=line, actor=reviewer, comment="Seul.")
        assert refused.value.messages == [REVIEW_WITH_CANDIDATURE]
        assert _moves_of(line) == before
    services.candidature_decide(candidature=candidature, decision=services.Decision.VALIDATE, actor=reviewer)
    assert Assessment.objects.get(pk=line.pk).state == State.VALIDATED
