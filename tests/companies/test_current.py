import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from companies.current import SESSION_KEY, current_membership, kept_memberships, member_required
from companies.roles import MANAGE_MEMBERS, SUBMIT_ASSESSMENT, role_can
from companies.selectors import membership_for, user_memberships
from tests.accounts.helpers import accept_current_terms
from tests.companies.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user, session=None):
    request = RequestFactory().get("/espace/")
    request.user = user
    request.session = session if session is not None else {}
    return request


def test_only_mandataire_and_representant_submit_and_manage():
    assert role_can("mandataire", SUBMIT_ASSESSMENT) and role_can("representant", SUBMIT_ASSESSMENT)
    assert not role_can("salarie", SUBMIT_ASSESSMENT)
    assert not role_can("salarie", MANAGE_MEMBERS)
    assert not role_can("inconnu", "answer")


def test_membership_for_outsider_gets_404():
    membership = MembershipFactory()
    outsider = MembershipFactory().user
    assert membership_for(user=membership.user, company_public_id=membership.company.public_id) == membership
    with pytest.raises(Http404):
        membership_for(user=outsider, company_public_id=membership.company.public_id)


def test_inactive_membership_and_inactive_company_are_not_listed():
    user = UserFactory()
    MembershipFactory(user=user, inactive=True)
    MembershipFactory(user=user, company=CompanyFactory(is_active=False))
    kept = MembershipFactory(user=user)
    assert list(user_memberships(user)) == [kept]


def test_current_membership_defaults_to_first_then_follows_session():
    user = UserFactory()
    second = MembershipFactory(user=user, company=CompanyFactory(name="Zêta"))
    first = MembershipFactory(user=user, company=CompanyFactory(name="Alpha"))
    assert current_membership(_request(user)) == first
    session = {SESSION_KEY: str(second.company.public_id)}
    assert current_membership(_request(user, session)) == second


def test_current_membership_ignores_a_company_the_user_left():
    user = UserFactory()
    kept = MembershipFactory(user=user)
    left = MembershipFactory(user=user, inactive=True)
    assert current_membership(_request(user, {SESSION_KEY: str(left.company.public_id)})) == kept


def test_user_without_company_gets_404():
    with pytest.raises(Http404):
        current_membership(_request(UserFactory()))


def test_member_required_sets_membership_and_checks_capability():
    @member_required(capability=MANAGE_MEMBERS)
    def view(request):
        return HttpResponse(request.membership.role)

    manager, employee = MembershipFactory(mandataire=True), MembershipFactory()
    # Called without the middleware, the decorator runs the access chain itself (terms included).
    assert view(_request(manager.user)).status_code == 302
    accept_current_terms(manager.user)
    accept_current_terms(employee.user)
    assert view(_request(manager.user)).content == b"mandataire"
    with pytest.raises(PermissionDenied):
        view(_request(employee.user))


def _signed_in_request(user, method="get"):
    request = getattr(RequestFactory(), method)("/espace/")
    request.user = user
    request.session = {}
    return request


def test_a_per_object_view_that_finds_no_object_is_a_programming_error():
    from django.core.exceptions import ImproperlyConfigured

    membership = MembershipFactory()
    accept_current_terms(membership.user)

    @member_required(per_object=True)
    def view(request):
        return HttpResponse("shown without any access check")

    with pytest.raises(ImproperlyConfigured):
        view(_signed_in_request(membership.user))


def test_a_per_object_view_checks_the_role_of_the_objects_company_not_the_current_one():
    from companies.current import enter_company

    user = UserFactory()
    accept_current_terms(user)
    employee = MembershipFactory(user=user, company=CompanyFactory(name="Alpha"))
    manager = MembershipFactory(user=user, company=CompanyFactory(name="Bêta"), mandataire=True)

    @member_required(capability=SUBMIT_ASSESSMENT, per_object=True)
    def view(request, membership):
        enter_company(request, membership)
        return HttpResponse(request.membership.company.name)

    # The current company (the first, Alpha) does not grant submitting; Bêta's object does.
    request = _signed_in_request(user)
    assert view(request, manager).content.decode() == "Bêta"
    assert request.session[SESSION_KEY] == str(manager.company.public_id)
    with pytest.raises(PermissionDenied):
        view(_signed_in_request(user), employee)


def test_a_kept_list_serves_only_the_person_it_was_read_for(django_assert_num_queries):
    first, second = MembershipFactory(), MembershipFactory()
    session = {}
    assert kept_memberships(session, first.user) == [first]
    with django_assert_num_queries(0):
        assert kept_memberships(session, first.user) == [first]
    # The same session (a shared computer) and the same version number: another person's list.
    assert second.user.memberships_version == first.user.memberships_version
    with django_assert_num_queries(1):
        assert kept_memberships(session, second.user) == [second]
