"""The hand-written SELECTs (core/sql.py) give what their ORM equivalents give."""

import pytest
from django.db import transaction
from django.db.models import F
from django.http import Http404

from assessments.models import Answer, Assessment
from assessments.selectors import (
    ANSWER_DATA_FIELDS,
    AnswerData,
    answer_data,
    answer_values,
    assessment_for_member,
)
from assessments.services import answer_save
from companies.selectors import active_memberships, user_memberships
from tests.assessments.factories import QUALIFIED, AssessmentFactory, fill
from tests.companies.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.fixture
def member():
    user = UserFactory()
    MembershipFactory(user=user, company=CompanyFactory(name="Zêta"))
    MembershipFactory(user=user, company=CompanyFactory(name="alpha"))
    MembershipFactory(user=user, company=CompanyFactory(name="Bêta"), is_active=False)
    MembershipFactory(user=user, company=CompanyFactory(name="Gamma", is_active=False))
    return user


def test_active_memberships_are_user_memberships(member):
    expected = list(user_memberships(member))
    got = active_memberships(member)
    assert [field_values(m) for m in got] == [field_values(m) for m in expected]
    assert [field_values(m.company) for m in got] == [field_values(m.company) for m in expected]
    assert len(got) == 2


def test_no_memberships_for_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    assert active_memberships(AnonymousUser()) == []


@pytest.fixture
def assessment(member):
    company = member.memberships.get(company__name="alpha").company
    version = ProductVersionFactory(product=ProductFactory(company=company))
    assessment = AssessmentFactory(product_version=version, qualification=QUALIFIED)
    fill(assessment, actor=member)
    return assessment


def test_assessment_for_member_matches_the_orm(member, assessment, django_assert_num_queries):
    memberships = active_memberships(member)
    expected = (
        Assessment.objects.select_related(
            "product_version__product__company", "questionnaire_version__questionnaire"
        )
        .annotate(company_id=F("product_version__product__company_id"))
        .get(pk=assessment.pk)
    )
    with django_assert_num_queries(1):
        got = assessment_for_member(memberships=memberships, public_id=assessment.public_id)
        assert got.company_id == expected.company_id
        assert field_values(got.product_version.product.company) == field_values(
            expected.product_version.product.company
        )
    assert field_values(got) == field_values(expected)
    assert field_values(got.product_version) == field_values(expected.product_version)
    assert field_values(got.product_version.product) == field_values(expected.product_version.product)
    assert field_values(got.questionnaire_version.questionnaire) == field_values(
        expected.questionnaire_version.questionnaire
    )
    assert got.questionnaire_version.number == expected.questionnaire_version.number
    assert "profile_rules" in got.questionnaire_version.get_deferred_fields()
    bare = assessment_for_member(memberships=memberships, public_id=assessment.public_id, related=False)
    assert field_values(bare) == field_values(expected) and bare.company_id == expected.company_id


def test_assessment_for_member_is_404_outside_the_memberships(member, assessment):
    outsider = MembershipFactory()
    with pytest.raises(Http404):
        assessment_for_member(memberships=active_memberships(outsider.user), public_id=assessment.public_id)
    with pytest.raises(Http404):
        assessment_for_member(memberships=[], public_id=assessment.public_id)


def test_the_locked_variant_saves_like_the_service_alone(member, assessment):
    with transaction.atomic():
        locked = assessment_for_member(
            memberships=active_memberships(member),
            public_id=assessment.public_id,
            related=False,
            for_update=True,
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


def test_answer_data_and_values_match_the_orm(assessment):
    rows = Answer.objects.filter(assessment=assessment).values_list(*ANSWER_DATA_FIELDS)
    expected = {row[0]: AnswerData(*row) for row in rows}
    assert answer_data(assessment) == expected
    some = sorted(expected)[:3]
    assert answer_data(assessment, item_ids=some) == {item_id: expected[item_id] for item_id in some}
    assert answer_values(assessment) == {
        item_id: (data.level, data.justification) for item_id, data in expected.items()
    }
    assert any(data.first_name for data in expected.values())
