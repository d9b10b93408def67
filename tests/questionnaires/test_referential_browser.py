"""Through Chromium: the referential pages pass axe and read as documents."""

import pytest

from tests.accounts.helpers import make_reviewer
from tests.questionnaires.factories import import_real_definitions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referential_pages_are_accessible(page, browser_login, axe_check):
    a08 = import_real_definitions()["interoperabilite"]
    browser_login(*make_reviewer())
    page.goto("/instruction/referentiels/")
    axe_check(page)
    page.get_by_role("link", name="Version 1 de « Interopérabilité (A08) »").click()
    page.wait_for_url(f"**/instruction/referentiels/{a08.public_id}/")
    assert page.get_by_role("heading", name="Profils de compatibilité DMP").is_visible()
    axe_check(page)
    item = page.get_by_role(
        "heading", name="A08.5.23 — Consommation — Structuration minimale des documents de santé"
    )
    assert item.count() == 1
