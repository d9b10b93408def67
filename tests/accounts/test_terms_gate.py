"""The terms gate: no query while the session holds the accepted current version, and a new version
reaches the publishing process at once and every other process within a minute."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from accounts import terms_gate
from accounts.models import TermsVersion
from tests.accounts.factories import TermsVersionFactory, UserFactory
from tests.accounts.helpers import accept_current_terms, verified_login
from tests.companies.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def terms_v1():
    TermsVersion.objects.all().delete()
    return TermsVersionFactory(version=1)


def signed_in_request(user, **session):
    request = RequestFactory().get("/espace/")
    request.user = user
    request.session = SessionStore()
    request.session.update(session)
    return request


def test_session_holding_the_current_version_costs_no_query(django_assert_num_queries):
    user = UserFactory()
    accept_current_terms(user)
    terms_gate.current_version()  # the process knows the current number
    request = signed_in_request(user, **{terms_gate.SESSION_KEY: 1})
    with django_assert_num_queries(0):
        assert terms_gate.terms_pending(request) is False


def test_one_query_decides_and_an_acceptance_is_remembered(django_assert_num_queries):
    user = UserFactory()
    accept_current_terms(user)
    terms_gate.current_version()
    request = signed_in_request(user)
    with django_assert_num_queries(1):
        assert terms_gate.terms_pending(request) is False
    assert request.session[terms_gate.SESSION_KEY] == 1
    with django_assert_num_queries(0):
        assert terms_gate.terms_pending(request) is False


def test_not_accepted_is_pending_and_not_remembered():
    request = signed_in_request(UserFactory())
    assert terms_gate.terms_pending(request) is True
    assert terms_gate.SESSION_KEY not in request.session
    assert terms_gate.terms_pending(request) is True


def test_a_version_published_in_this_process_is_pending_at_once():
    user = UserFactory()
    accept_current_terms(user)
    request = signed_in_request(user, **{terms_gate.SESSION_KEY: 1})
    assert terms_gate.terms_pending(request) is False
    TermsVersionFactory(version=2)
    assert terms_gate.terms_pending(request) is True


def test_a_version_published_by_another_process_is_seen_within_the_ttl(monkeypatch):
    user = UserFactory()
    accept_current_terms(user)
    request = signed_in_request(user, **{terms_gate.SESSION_KEY: 1})
    assert terms_gate.terms_pending(request) is False
    # Another process publishes: no signal reaches this one.
    TermsVersion.objects.bulk_create([TermsVersion(version=2, text="Version 2")])
    assert terms_gate.terms_pending(request) is False
    now = terms_gate.time.monotonic()
    monkeypatch.setattr(terms_gate.time, "monotonic", lambda: now + terms_gate.CURRENT_VERSION_TTL + 1)
    assert terms_gate.terms_pending(request) is True


def test_login_remembers_an_acceptance_in_the_session(client):
    membership = MembershipFactory()
    accept_current_terms(membership.user)
    verified_login(client, membership.user)
    assert client.session[terms_gate.SESSION_KEY] == 1


def test_login_without_acceptance_remembers_nothing(client):
    verified_login(client, UserFactory())
    assert terms_gate.SESSION_KEY not in client.session


def test_accepting_the_terms_is_remembered(client):
    membership = MembershipFactory()
    verified_login(client, membership.user)
    client.post(reverse("accounts:terms"), {"accept": "on"})
    assert client.session[terms_gate.SESSION_KEY] == 1
