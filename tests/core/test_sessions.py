"""core.sessions: the database session store with a hand-written read behaves as Django's."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_reads_what_django_wrote(django_assert_num_queries):
    written = DjangoStore()
    written["current_company"], written["terms_accepted"] = "abc", 3
    written.save()
    store = SessionStore(session_key=written.session_key)
    with django_assert_num_queries(1):
        assert dict(store.items()) == {"current_company": "abc", "terms_accepted": 3}
    django_view = DjangoStore(session_key=written.session_key)
    assert dict(django_view.items()) == dict(store.items())
    assert store._get_session_from_db().expire_date == Session.objects.get(pk=written.session_key).expire_date


def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key():
    written = SessionStore()
    written["current_company"] = "abc"
    written.save()
    Session.objects.filter(pk=written.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (written.session_key, "x" * 32):
        store = SessionStore(session_key=key)
        assert dict(store.items()) == {}
        assert store.session_key is None


def test_a_login_survives_requests(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="session@exemple.test", password="Un-mot-de-passe-2026"
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/compte/").wsgi_request.user == user
