"""The vendor's access selectors: the object and the person's membership of its company, in one query."""

import pytest
from django.db import DatabaseError, transaction
from django.http import Http404

from assessments.models import Assessment
from assessments.selectors import (
    answer_data,
    answer_data_shown,
    answer_values,
    answer_values_of,
    applicable_items,
    assessment_for_member,
    assessment_owner,
    assessment_progress,
    assessment_structure,
)
from assessments.services import answer_save
from companies.current import kept_memberships
from companies.selectors import user_memberships
from products.models import Product, ProductVersion
from products.selectors import product_for_member, product_version_for_member
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill
from tests.companies.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user = UserFactory()
    MembershipFactory(user=user, company=CompanyFactory(name="Zêta"))
    MembershipFactory(user=user, company=CompanyFactory(name="alpha"), mandataire=True)
    return user


@pytest.fixture
def assessment(member):
    company = member.memberships.get(company__name="alpha").company
    version = ProductVersionFactory(product=ProductFactory(company=company))
    assessment = AssessmentFactory(product_version=version, qualification=QUALIFIED)
    fill(assessment, actor=member)
    return assessment


def test_the_assessment_comes_with_the_membership_of_its_company_in_one_query(
    member, assessment, django_assert_num_queries
):
    with django_assert_num_queries(1):
        got = assessment_for_member(user=member, public_id=assessment.public_id)
        assert got.pk == assessment.pk
        assert got.membership.user_id == member.pk
        assert got.membership.company.name == "alpha"
        assert got.membership.role == "mandataire"
        assert got.company_id == got.membership.company_id
        assert got.product_version.product.company.name == "alpha"
        assert got.questionnaire_version.questionnaire.code
    assert "profile_rules" in got.questionnaire_version.get_deferred_fields()


def outsider_user(outsider: str, member, assessment):
    """Someone who must not reach ``assessment``: of another company, with an inactive membership of
    its company, or ``member`` once that company is deactivated."""
    company = assessment.product_version.product.company
    if outsider == "other company":
        return MembershipFactory().user
    if outsider == "inactive membership":
        return MembershipFactory(company=company, is_active=False).user
    company.is_active = False
    company.save()
    return member


@pytest.mark.parametrize(
    "outsider",
    [
        "other company",
        "inactive membership",
        "inactive company",
    ],
)
def test_no_assessment_outside_the_persons_active_memberships(member, assessment, outsider):
    user = outsider_user(outsider, member, assessment)
    with pytest.raises(Http404):
        assessment_for_member(user=user, public_id=assessment.public_id)
    with pytest.raises(Http404), transaction.atomic():
        assessment_for_member(user=user, public_id=assessment.public_id, related=False, for_update=True)
    with pytest.raises(Http404):
        product_for_member(user=user, public_id=assessment.product_version.product.public_id)
    with pytest.raises(Http404):
        product_version_for_member(user=user, public_id=assessment.product_version.public_id)


def test_products_and_versions_come_with_the_membership(member, assessment, django_assert_num_queries):
    product = assessment.product_version.product
    with django_assert_num_queries(1):
        assert product_for_member(user=member, public_id=product.public_id).membership.company.name == "alpha"
    with django_assert_num_queries(1):
        version = product_version_for_member(user=member, public_id=assessment.product_version.public_id)
        assert version.product == product and version.membership.role == "mandataire"


def test_the_locked_variant_comes_with_the_role_in_the_objects_company_in_one_query(
    member, assessment, django_assert_num_queries
):
    other = MembershipFactory(user=member, company=CompanyFactory(name="bêta")).company
    AssessmentFactory(product_version=ProductVersionFactory(product=ProductFactory(company=other)))
    session = {}
    kept_memberships(session, member)  # read once, then kept in the session: what an answer save finds
    assessment_owner(assessment.public_id)  # who owns it: read once, then memoised in the process
    with transaction.atomic(), django_assert_num_queries(1) as queries:
        got = assessment_for_member(
            user=member,
            public_id=assessment.public_id,
            related=False,
            for_update=True,
            memberships=kept_memberships(session, member),
        )
        membership = got.membership
        assert got.pk == assessment.pk and got.company_id == membership.company_id
        # Of the assessment, what a write decides on and what names it; the rest is deferred.
        assert (got.state, got.public_id) == (assessment.state, assessment.public_id)
        assert {"created_at", "created_by_id", "carried_from_id"} <= got.get_deferred_fields()
        assert (membership.role, membership.user) == ("mandataire", member)
        assert membership.company.public_id == assessment.product_version.product.company.public_id
        assert membership.company.is_active and membership.is_active
    # The row is read and locked by its primary key: no join.
    (lock,) = [query["sql"] for query in queries.captured_queries]
    assert "JOIN" not in lock and lock.endswith('FOR UPDATE OF "assessments_assessment"')
    expected = member.memberships.select_related("company").get(company__name="alpha")
    assert membership.pk == expected.pk and membership.company.pk == expected.company_id
    # The fields the session does not keep are deferred: the ORM loads them, never a blank value.
    assert {"public_id", "created_at"} <= membership.get_deferred_fields()
    assert {"siren", "created_at"} <= membership.company.get_deferred_fields()
    with django_assert_num_queries(2):
        assert membership.public_id == expected.public_id
        assert membership.company.siren == expected.company.siren


def test_the_locked_variant_saves_like_the_service_alone(member, assessment):
    with transaction.atomic():
        locked = assessment_for_member(
            user=member, public_id=assessment.public_id, related=False, for_update=True
        )
        saved = answer_save(
            assessment=locked,
            item_code="A08.3.1",
            level="rouge",
            expected_revision=1,
            actor=member,
            locked=True,
        )
    assert saved.answer.revision == 2
    assessment.refresh_from_db()
    assert assessment.profiles == locked.profiles


def test_answer_data_gives_who_saved_each_answer(member, assessment):
    data = answer_data(assessment)
    saved = [row for row in data.values() if row.updated_by_id]
    assert saved and all(row.email == member.email for row in saved)
    some = sorted(data)[:3]
    assert answer_data(assessment, item_ids=some) == {item_id: data[item_id] for item_id in some}
    assert answer_values(assessment) == {
        item_id: (row.level, row.justification) for item_id, row in data.items()
    }


def test_among_the_listed_memberships_the_assessment_costs_one_query(
    member, assessment, django_assert_num_queries
):
    memberships = list(user_memberships(member))
    assessment_for_member(user=member, public_id=assessment.public_id, memberships=memberships)
    with django_assert_num_queries(1):  # the published version is memoised: not joined, not read again
        got = assessment_for_member(user=member, public_id=assessment.public_id, memberships=memberships)
        assert got.pk == assessment.pk
        assert got.membership.company.name == "alpha" and got.membership.role == "mandataire"
        assert got.company_id == got.membership.company_id
        assert got.product_version.product.company.name == "alpha"
        assert (
            got.questionnaire_version.questionnaire.code
            == assessment.questionnaire_version.questionnaire.code
        )
        assert got.questionnaire_version.number == assessment.questionnaire_version.number


@pytest.mark.parametrize("related", [True, False])
@pytest.mark.parametrize("outsider", ["other company", "inactive membership", "inactive company"])
def test_no_assessment_outside_the_listed_memberships(member, assessment, outsider, related):
    user = outsider_user(outsider, member, assessment)
    with pytest.raises(Http404), transaction.atomic():
        assessment_for_member(
            user=user,
            public_id=assessment.public_id,
            memberships=list(user_memberships(user)),
            related=related,
            for_update=not related,
        )


def test_answer_data_of_a_section_holds_that_sections_answers_only(assessment):
    data = answer_data(assessment)
    section = assessment_structure(assessment).sections[1]
    ids = {item["id"] for item in section["items"]}
    by_section = answer_data(assessment, item_ids=sorted(ids))
    assert by_section and set(by_section) == ids & set(data)
    assert by_section == {item_id: data[item_id] for item_id in by_section}


def test_answer_data_without_who_saved_keeps_the_answers(member, assessment):
    data = answer_data(assessment)
    light = answer_data(assessment, saved_by=False)
    assert set(light) == set(data)
    assert all(row.updated_at is None and row.updated_by_id is None for row in light.values())
    assert answer_values_of(light) == answer_values(assessment)
    assert {item_id: row[:5] for item_id, row in light.items()} == {
        item_id: row[:5] for item_id, row in data.items()
    }


def test_answer_data_shown_dates_and_names_the_shown_answers_only(
    member, assessment, django_assert_num_queries
):
    data = answer_data(assessment)
    shown = sorted(data)[2:6]
    with django_assert_num_queries(2):  # the answers, then the name of the one who saved them
        got = answer_data_shown(assessment, shown, viewer_id=None)
    assert set(got) == set(data)
    assert {item_id: got[item_id] for item_id in shown} == {item_id: data[item_id] for item_id in shown}
    assert all(got[item_id].updated_at is not None for item_id in shown)
    assert all(
        row.updated_at is None and row.updated_by_id is None and row.email is None
        for item_id, row in got.items()
        if item_id not in shown
    )
    assert {item_id: row[:5] for item_id, row in got.items()} == {
        item_id: row[:5] for item_id, row in data.items()
    }
    assert answer_values_of(got) == answer_values(assessment)


def test_answer_data_shown_names_nobody_the_viewer_needs_not(member, assessment, django_assert_num_queries):
    data = answer_data(assessment)
    shown = sorted(data)[:3]
    with django_assert_num_queries(1):  # every shown answer is the viewer's own: "vous", no name read
        got = answer_data_shown(assessment, shown, viewer_id=member.pk)
    assert [got[item_id].updated_by_id for item_id in shown] == [member.pk] * 3
    assert all(got[item_id].email is None for item_id in shown)
    colleague = UserFactory(first_name="Inès", last_name="Durand")
    MembershipFactory(user=colleague, company=member.memberships.get(company__name="alpha").company)
    code = assessment_structure(assessment).items_by_id[shown[1]]["code"]
    answer_save(
        assessment=assessment,
        item_code=code,
        level="rouge",
        expected_revision=data[shown[1]].revision,
        actor=colleague,
    )
    with django_assert_num_queries(2):
        got = answer_data_shown(assessment, shown, viewer_id=member.pk)
    assert (got[shown[1]].first_name, got[shown[1]].last_name, got[shown[1]].level) == (
        "Inès",
        "Durand",
        "rouge",
    )
    assert got[shown[0]].email is None
    with django_assert_num_queries(1):
        nothing_shown = answer_data_shown(assessment, [], viewer_id=member.pk)
    assert all(row.updated_at is None for row in nothing_shown.values())
    assert answer_values_of(nothing_shown) == answer_values(assessment)


def test_applicable_items_follow_each_assessments_qualification(assessment):
    """The applicable items are memoised per version and qualification answers: an assessment of the
    same version answering otherwise gets its own."""
    with_mssante = AssessmentFactory(
        questionnaire_version=assessment.questionnaire_version,
        qualification=QUALIFIED | {"messagerie_mssante": True},
    )
    without = {item["code"] for item in applicable_items(assessment)}
    with_it = {item["code"] for item in applicable_items(with_mssante)}
    assert with_it - without and not without - with_it
    assert {item["code"] for item in applicable_items(assessment)} == without
    figures = assessment_progress(with_mssante)
    assert figures["total"] == len(with_it) == sum(section["total"] for section in figures["sections"])
    assert assessment_progress(assessment)["total"] == len(without)


@pytest.mark.parametrize("outsider", ["other company", "inactive membership", "inactive company"])
def test_the_write_variant_never_reads_nor_locks_an_outsiders_assessment(
    member, assessment, outsider, django_assert_max_num_queries
):
    user = outsider_user(outsider, member, assessment)
    memberships = list(user_memberships(user))
    with pytest.raises(Http404), transaction.atomic(), django_assert_max_num_queries(1) as queries:
        assessment_for_member(
            user=user, public_id=assessment.public_id, memberships=memberships, related=False, for_update=True
        )
    # Only who owns it was read (memoised from then on), never the row itself.
    assert all("FOR UPDATE" not in query["sql"] for query in queries.captured_queries)


def test_an_unknown_assessment_is_a_404_for_the_write_variant(member):
    memberships = list(user_memberships(member))
    for unknown in ("4b0c5d0e-0000-4000-8000-000000000000", "pas-un-uuid"):
        with pytest.raises(Http404), transaction.atomic():
            assessment_for_member(
                user=member, public_id=unknown, memberships=memberships, related=False, for_update=True
            )


@pytest.mark.parametrize("what", ["assessment", "product version", "product"])
def test_what_owns_an_assessment_never_changes(assessment, what):
    """Why its owner may be memoised: the database refuses to move an assessment, a product version
    or a product, whoever asks (a bulk update here)."""
    other = ProductVersionFactory()
    moves = {
        "assessment": lambda: Assessment.objects.filter(pk=assessment.pk).update(product_version=other),
        "product version": lambda: ProductVersion.objects.filter(pk=assessment.product_version_id).update(
            product=other.product
        ),
        "product": lambda: Product.objects.filter(pk=assessment.product_version.product_id).update(
            company=other.product.company
        ),
    }
    with pytest.raises(DatabaseError, match="never_moves"), transaction.atomic():
        moves[what]()
    assert assessment_owner(assessment.public_id).company_id == assessment.product_version.product.company_id
