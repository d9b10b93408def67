"""Every public help-centre page with hostile values in each query parameter it reads: the page
answers normally (the value ignored or said to be invalid), never a server error."""

import pytest
from django.urls import reverse

from helpcentre.models import Facet
from tests.helpcentre.factories import EntryFactory, TagFactory
from tests.review.test_hostile_parameters import HOSTILE_VALUES

pytestmark = pytest.mark.django_db

# Query parameters each public GET page reads.
PARAMETERS = {
    "helpcentre:index": ["q", "page", *Facet.values],
    "helpcentre:entry": [],
    "helpcentre:item": [],
}


@pytest.fixture
def urls():
    from tests.assessments.factories import questionnaire_version

    questionnaire_version()
    tag = TagFactory(facet=Facet.THEME, slug="comptes")
    entry = EntryFactory(slug="une-reponse", tags=[tag], item_codes=["A08.3.1"])
    return {
        "helpcentre:index": reverse("helpcentre:index"),
        "helpcentre:entry": reverse("helpcentre:entry", args=[entry.slug]),
        "helpcentre:item": reverse("helpcentre:item", args=["A08.3.1"]),
    }


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_hostile_query_parameters_never_break_a_public_page(client, urls, name):
    parameters = PARAMETERS[name] or ["page"]
    queries = [f"{parameter}={value}" for parameter in parameters for value in HOSTILE_VALUES]
    queries += [f"{parameter}=1&{parameter}=%s%00" for parameter in parameters]  # repeated
    queries += ["&".join(f"{parameter}={value}" for parameter in parameters) for value in HOSTILE_VALUES]
    queries += [
        "q=" + "%22" * 50,
        "q=a%20%7C%20b%20!c%20%26%20(d",
        "q=-",
        "q=le%20la%20les",
    ]  # tsquery syntax
    for query in queries:
        response = client.get(urls[name], QUERY_STRING=query)
        assert response.status_code == 200, (query[:80], response.status_code)
