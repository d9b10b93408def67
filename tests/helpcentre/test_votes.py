""" "Cette réponse vous a-t-elle été utile ?": one vote per visitor and entry, rate-limited."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from helpcentre import services, views
from helpcentre.models import Vote
from tests.helpcentre.factories import EntryFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def vote(client, entry, useful="oui", **extra):
    return client.post(reverse("helpcentre:vote", args=[entry.slug]), {"useful": useful}, **extra)


def test_every_entry_ends_with_the_question(client):
    entry = EntryFactory()
    page = client.get(reverse("helpcentre:entry", args=[entry.slug])).content.decode()
    assert "Cette réponse vous a-t-elle été utile ?" in page
    assert page.index("Cette réponse vous a-t-elle été utile ?") > page.index(
        entry.body.replace("'", "&#x27;")
    )


def test_one_vote_per_visitor_and_entry(client):
    entry = EntryFactory()
    assert vote(client, entry, "oui").status_code == 302
    again = vote(client, entry, "non", follow=True)
    assert services.ALREADY_VOTED.replace("'", "&#x27;") in again.content.decode()
    assert list(Vote.objects.values_list("useful", flat=True)) == [True]  # the first vote stands
    assert "Vous avez répondu « oui »" in again.content.decode()
    vote(Client(), entry, "non")  # another visitor
    assert sorted(Vote.objects.values_list("useful", flat=True)) == [False, True]


def test_the_database_refuses_a_second_vote_of_the_same_visitor():
    entry = EntryFactory()
    Vote.objects.create(entry=entry, visitor="abc", useful=True)
    with pytest.raises(IntegrityError):
        Vote.objects.create(entry=entry, visitor="abc", useful=False)


def test_htmx_vote_answers_with_the_block_only(client):
    entry = EntryFactory()
    response = vote(client, entry, "non", **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<section") and views.THANKS in page
    assert "Vous avez répondu « non »" in page


def test_votes_are_rate_limited_per_address(settings):
    entries = [EntryFactory() for _ in range(views.VOTE_LIMIT + 1)]
    for entry in entries[:-1]:
        assert vote(Client(), entry).status_code == 302
    refused = vote(Client(), entries[-1])
    assert refused.status_code == 429
    assert views.TOO_MANY_VOTES.replace("'", "&#x27;") in refused.content.decode()
    assert Vote.objects.count() == views.VOTE_LIMIT


@pytest.mark.parametrize("value", ["", "peut-être", "%s", "\x00", "1" * 5000])
def test_a_hostile_vote_is_refused_in_french(client, value):
    response = vote(client, EntryFactory(), value)
    assert response.status_code == 400
    assert views.INVALID_VOTE in response.content.decode()
    assert not Vote.objects.exists()


def test_a_draft_cannot_be_voted_on(client):
    entry = EntryFactory(draft=True)
    assert vote(client, entry).status_code == 404
    assert not Vote.objects.exists()


def test_reading_an_entry_writes_nothing(client, django_assert_max_num_queries):
    entry = EntryFactory()
    with django_assert_max_num_queries(2):  # the entry, its tags (no session, no vote to read)
        response = client.get(reverse("helpcentre:entry", args=[entry.slug]))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
