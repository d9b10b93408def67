"""Sessions: Django's ``cached_db`` store, read from the Redis cache and written through to the database."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.user = user
    return client


def session_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:second_factor"))
    assert response.status_code == 200 and response.wsgi_request.user == client.user
    return [query["sql"] for query in queries if Session._meta.db_table in query["sql"]]


def test_a_signed_in_request_reads_its_session_from_the_cache(logged_in):
    assert session_queries(logged_in) == []


def test_the_session_is_also_in_the_database_and_outlives_the_cache(logged_in):
    key = logged_in.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + key)
    assert len(session_queries(logged_in)) == 1  # read back from the database, then cached again
    assert session_queries(logged_in) == []


def test_logout_forgets_the_session_in_both_places(logged_in):
    key = logged_in.session.session_key
    logged_in.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert caches[settings.SESSION_CACHE_ALIAS].get(KEY_PREFIX + key) is None
    assert logged_in.get(reverse("accounts:second_factor")).wsgi_request.user.is_anonymous
