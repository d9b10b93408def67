"""The API's interactive documentation (Swagger UI served from our own static files) runs under the
Content-Security-Policy without a violation, lists the operations and can call one."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_content_security_policy import watched  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_documentation_page_works_under_the_policy(watched):  # noqa: F811
    watched.goto("/api/v1/documentation")
    expect(watched.get_by_text("/api/v1/catalogue", exact=True)).to_be_visible()
    expect(watched.get_by_text("/api/v1/entreprise/produits", exact=True)).to_be_visible()
    watched.get_by_text("/api/v1/referentiels", exact=True).click()
    watched.get_by_role("button", name="Try it out").click()
    watched.get_by_role("button", name="Execute").click()
    expect(watched.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")
    assert watched.violations() == []
