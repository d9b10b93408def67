import pytest
from django.core.exceptions import ValidationError

from assessments import workflow
from assessments.models import State, Transition
from assessments.selectors import assessment_for_member, assessment_for_reviewer
from tests.assessments.factories import AssessmentFactory
from tests.companies.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(assessment, role):
    return MembershipFactory(company=assessment.product_version.product.company, role=role).user


def test_every_declared_transition_is_listed():
    assert set(workflow.ALLOWED) == {
        (State.DRAFT, State.SUBMITTED),
        (State.SUBMITTED, State.IN_REVIEW),
        (State.IN_REVIEW, State.VALIDATED),
        (State.IN_REVIEW, State.CHANGES_REQUESTED),
        (State.IN_REVIEW, State.REFUSED),
        (State.CHANGES_REQUESTED, State.SUBMITTED),
    }


def test_undeclared_transition_is_refused_in_french():
    assessment = AssessmentFactory()
    reviewer = UserFactory(reviewer=True)
    with pytest.raises(ValidationError) as error:
        workflow.transition(assessment=assessment, to=State.VALIDATED, actor=reviewer)
    assert error.value.messages == [workflow.NOT_ALLOWED.format(source="Brouillon", target="Validée")]
    assessment.refresh_from_db()
    assert assessment.state == State.DRAFT
    assert not Transition.objects.exists()


@pytest.mark.parametrize("role", ["mandataire", "representant"])
def test_managers_submit_and_the_transition_is_logged(role):
    assessment = AssessmentFactory()
    actor = member(assessment, role)
    workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=actor)
    assessment.refresh_from_db()
    assert assessment.state == State.SUBMITTED
    assert assessment.submitted_at is not None
    log = Transition.objects.get(assessment=assessment)
    assert (log.actor, log.from_state, log.to_state) == (actor, State.DRAFT, State.SUBMITTED)


def test_salarie_cannot_submit():
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError) as error:
        workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=member(assessment, "salarie"))
    assert error.value.messages == [workflow.ROLE_CANNOT]


def test_member_of_another_company_cannot_submit():
    assessment = AssessmentFactory()
    outsider = MembershipFactory(mandataire=True).user
    with pytest.raises(ValidationError):
        workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=outsider)


def test_inactive_member_cannot_submit():
    assessment = AssessmentFactory()
    company = assessment.product_version.product.company
    former = MembershipFactory(company=company, mandataire=True, inactive=True).user
    with pytest.raises(ValidationError):
        workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=former)


def test_vendor_cannot_take_and_reviewer_cannot_submit():
    assessment = AssessmentFactory()
    with pytest.raises(ValidationError) as error:
        workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=UserFactory(reviewer=True))
    assert error.value.messages == [workflow.ROLE_CANNOT]
    workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=member(assessment, "mandataire"))
    with pytest.raises(ValidationError) as error:
        workflow.transition(assessment=assessment, to=State.IN_REVIEW, actor=member(assessment, "mandataire"))
    assert error.value.messages == [workflow.REVIEWER_ONLY]


def submitted():
    assessment = AssessmentFactory()
    workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=member(assessment, "mandataire"))
    return assessment


def test_take_assigns_the_reviewer_and_only_they_decide():
    assessment = submitted()
    reviewer, other = UserFactory(reviewer=True), UserFactory(reviewer=True)
    workflow.transition(assessment=assessment, to=State.IN_REVIEW, actor=reviewer)
    assert assessment.reviewer == reviewer
    with pytest.raises(ValidationError) as error:
        workflow.transition(assessment=assessment, to=State.VALIDATED, actor=other)
    assert error.value.messages == [workflow.NOT_ASSIGNED]
    workflow.transition(assessment=assessment, to=State.VALIDATED, actor=reviewer)
    assessment.refresh_from_db()
    assert (assessment.state, assessment.reviewer) == (State.VALIDATED, reviewer)
    assert assessment.validated_at is not None


@pytest.mark.parametrize("target", [State.CHANGES_REQUESTED, State.REFUSED])
def test_sending_back_or_refusing_needs_a_comment(target):
    assessment = submitted()
    reviewer = UserFactory(reviewer=True)
    workflow.transition(assessment=assessment, to=State.IN_REVIEW, actor=reviewer)
    with pytest.raises(ValidationError) as error:
        workflow.transition(assessment=assessment, to=target, actor=reviewer, comment="   ")
    assert error.value.messages == [workflow.COMMENT_REQUIRED.format(target=State(target).label)]
    workflow.transition(assessment=assessment, to=target, actor=reviewer, comment="Précisez A08.4.1.")
    assert Transition.objects.filter(assessment=assessment).last().comment == "Précisez A08.4.1."


def test_vendor_resubmits_after_changes_requested():
    assessment = submitted()
    reviewer = UserFactory(reviewer=True)
    workflow.transition(assessment=assessment, to=State.IN_REVIEW, actor=reviewer)
    workflow.transition(
        assessment=assessment, to=State.CHANGES_REQUESTED, actor=reviewer, comment="À compléter."
    )
    assert assessment.is_editable
    workflow.transition(assessment=assessment, to=State.SUBMITTED, actor=member(assessment, "representant"))
    states = list(Transition.objects.filter(assessment=assessment).values_list("to_state", flat=True))
    assert states == [State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.SUBMITTED]


def test_a_stale_instance_cannot_apply_a_transition_twice():
    assessment = submitted()
    stale = type(assessment).objects.get(pk=assessment.pk)
    first, second = UserFactory(reviewer=True), UserFactory(reviewer=True)
    workflow.transition(assessment=assessment, to=State.IN_REVIEW, actor=first)
    with pytest.raises(ValidationError) as error:
        workflow.transition(assessment=stale, to=State.IN_REVIEW, actor=second)
    assert error.value.messages == [workflow.STALE.format(current="En instruction")]
    assessment.refresh_from_db()
    assert assessment.reviewer == first


# ``allowed`` (the pages' question) against ``check`` (the services'): every state, target and actor.
# The state and the reviewer are set in memory only: neither function writes, ``check`` reads the
# roles from the database and ``allowed`` from the membership it is given.
ACTORS = [
    "mandataire",
    "representant",
    "salarie",
    "inactive member",
    "member of another company",
    "assigned reviewer",
    "other reviewer",
]


@pytest.fixture
def cast():
    assessment = AssessmentFactory()
    company = assessment.product_version.product.company
    memberships = {
        role: MembershipFactory(company=company, role=role)
        for role in ("mandataire", "representant", "salarie")
    }
    memberships["inactive member"] = MembershipFactory(company=company, mandataire=True, inactive=True)
    memberships["member of another company"] = MembershipFactory(mandataire=True)
    actors = {name: membership.user for name, membership in memberships.items()}
    actors["assigned reviewer"] = UserFactory(reviewer=True)
    actors["other reviewer"] = UserFactory(reviewer=True)
    return assessment, company, actors, memberships


def check_passes(assessment, target, actor) -> bool:
    try:
        workflow.check(assessment=assessment, to=target, actor=actor, comment="Motif de la décision.")
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("assigned", [False, True], ids=["unassigned", "assigned"])
@pytest.mark.parametrize("company_active", [True, False], ids=["open", "closed"])
def test_allowed_agrees_with_check_for_every_state_target_and_actor(cast, state, assigned, company_active):
    assessment, company, actors, memberships = cast
    company.is_active = company_active
    company.save(update_fields=["is_active"])
    assessment.state = state
    assessment.reviewer_id = actors["assigned reviewer"].pk if assigned else None
    verdicts = {}
    for target in State.values:
        for name in ACTORS:
            actor = actors[name]
            expected = check_passes(assessment, target, actor)
            got = workflow.allowed(
                assessment=assessment, to=target, actor=actor, membership=memberships.get(name)
            )
            assert got == expected, (state, target, name)
            verdicts[target, name] = got
    # Not vacuous: every declared transition out of this state is open to someone, except a
    # vendor's when the company is closed.
    for source, target in workflow.ALLOWED:
        if source == state and (
            company_active or workflow.ALLOWED[source, target].actor == workflow.REVIEWER
        ):
            assert any(verdicts[target, name] for name in ACTORS), (state, target)


def test_allowed_refuses_a_vendor_rule_without_a_membership_or_with_someone_elses():
    assessment = AssessmentFactory()
    company = assessment.product_version.product.company
    manager = MembershipFactory(company=company, mandataire=True)
    colleague = MembershipFactory(company=company)
    assert workflow.allowed(assessment=assessment, to=State.SUBMITTED, actor=manager.user, membership=manager)
    assert not workflow.allowed(assessment=assessment, to=State.SUBMITTED, actor=manager.user)
    assert not workflow.allowed(
        assessment=assessment, to=State.SUBMITTED, actor=colleague.user, membership=manager
    )


def test_allowed_runs_no_query_on_what_a_page_has_loaded(django_assert_num_queries):
    draft, taken = AssessmentFactory(), submitted()
    manager = MembershipFactory(company=draft.product_version.product.company, mandataire=True)
    reviewer = UserFactory(reviewer=True)
    vendor_view = assessment_for_member(user=manager.user, public_id=draft.public_id)
    membership = vendor_view.membership
    reviewer_view = assessment_for_reviewer(public_id=taken.public_id)
    with django_assert_num_queries(0):
        vendor = {
            target: workflow.allowed(
                assessment=vendor_view, to=target, actor=manager.user, membership=membership
            )
            for target in State.values
        }
        agency = {
            target: workflow.allowed(assessment=reviewer_view, to=target, actor=reviewer)
            for target in State.values
        }
    assert [target for target, yes in vendor.items() if yes] == [State.SUBMITTED]
    assert [target for target, yes in agency.items() if yes] == [State.IN_REVIEW]
