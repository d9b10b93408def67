"""Through Chromium, with DEBUG off: the error pages pass axe."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from playwright.sync_api import expect

from core import errors
from tests.companies.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(DEBUG=False)
def test_error_pages_are_accessible(page, browser_login, axe_check):
    response = page.goto("/page-qui-n-existe-pas/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page introuvable")
    axe_check(page)
    browser_login(MembershipFactory().user)
    response = page.goto(reverse("review:dashboard:index"))
    assert response.status == 403
    expect(page.get_by_text("Cette page est réservée aux instructeurs de l'agence.")).to_be_visible()
    axe_check(page)


def test_standalone_500_page_is_accessible(page, axe_check):
    page.goto("/")  # so that the page's /static/ links resolve against the live server
    page.set_content(errors.server_error(RequestFactory().get("/")).content.decode())
    expect(page.locator("h1")).to_have_text("Erreur du serveur")
    axe_check(page)
