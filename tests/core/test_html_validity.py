"""Every page of the ACCESS table that a signed-in vendor (a mandataire), a reviewer who passed the
second factor and an anonymous visitor can GET, rendered by the Django test client with the access
walk's objects and run through the W3C Nu Html Checker in one call: no error on any of them.

The browser journeys check the pages they visit; this test reaches the others. A fragment (what a
page's script swaps in, served whole to a GET) is checked inside a minimal document."""

import pytest
from django.urls import reverse

from tests.core.test_access_walk import (
    ADMIN,
    _client_for,
    classify,
    sample_url,
    url_patterns,
    world,  # noqa: F401 (the walk's fixture, reused)
)
from tests.helpcentre.factories import EntryFactory, TagFactory
from tests.html_checker import nu_errors, require_checker

pytestmark = pytest.mark.django_db

STATES = ("anonymous", "vendor", "reviewer")
FRAGMENT = '<!DOCTYPE html><html lang="fr"><head><title>Fragment</title></head><body>{}</body></html>'


def _with_help_entry(world) -> dict[str, str]:  # noqa: F811
    """A published help-centre entry explaining the walk's item: its pages, and the item's links to it,
    are then rendered too. Returns the URLs the walk's made-up values would not reach."""
    entry = EntryFactory(item_codes=[world["item_code"]], tags=[TagFactory()])
    world["identifiers"]["review:helpcentre"] = entry.public_id
    return {
        "helpcentre:entry": reverse("helpcentre:entry", args=[entry.slug]),
        "helpcentre:item": reverse("helpcentre:item", args=[world["item_code"]]),
    }


def rendered_pages(world) -> list[tuple[str, str]]:  # noqa: F811
    """(label, HTML) of every classified page each visitor gets with a 200 and an HTML body."""
    real_urls = _with_help_entry(world)
    documents = []
    for state in STATES:
        client = _client_for(state, world)
        for name, route in url_patterns():
            if classify(name) in (None, ADMIN):
                continue
            url = real_urls.get(name) or sample_url(name, route, world)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            if not html.lstrip().lower().startswith("<!doctype"):
                html = FRAGMENT.format(html)
            documents.append((f"{state} {url} ({name})", html))
    return documents


def test_every_reachable_page_passes_the_nu_checker(world):  # noqa: F811
    require_checker()
    documents = rendered_pages(world)
    names = {label.rsplit("(", 1)[1].rstrip(")") for label, _ in documents}
    # Each audience's pages were reached (a broken walk must not pass with nothing checked).
    assert {"home", "helpcentre:entry", "portal:assessments:section", "review:assessments:detail"} <= names
    assert {"portal:dmn:detail", "portal:dmn:create", "review:dmn:list", "review:dmn:detail"} <= names
    assert not (errors := nu_errors(documents)), "Nu Html Checker :\n" + "\n".join(errors)
