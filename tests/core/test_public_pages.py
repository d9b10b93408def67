"""The public pages: the home page's entry points and the footer's mandatory links."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FOOTER_PAGES = ["pages:legal_notice", "pages:personal_data", "pages:accessibility", "pages:site_map"]


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_home_page_offers_the_four_entry_points(client):
    page = text(client.get(reverse("home")))
    main = page[page.index("<main") : page.index("</main>")]
    assert f'href="{reverse("account_requests:create")}"' in main
    assert f'href="{reverse("accounts:login")}"' in main
    assert f'href="{reverse("helpcentre:index")}"' in main
    # The verification form on the page itself, posting to the verification page.
    assert f'action="{reverse("certificates:verify_form")}"' in main and 'name="code"' in main


def test_the_home_page_code_form_leads_to_the_verification(client):
    response = client.get(reverse("certificates:verify_form"), {"code": "abcd efgh ijkl mnop"})
    assert response.status_code == 302 and response.url.endswith("/ABCD-EFGH-IJKL-MNOP")


@pytest.mark.parametrize("name", ["home", *FOOTER_PAGES])
def test_every_page_footer_links_the_mandatory_pages(client, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse(name))
    assert response.status_code == 200
    page = text(response)
    footer = page[page.index('<footer class="fr-footer"') :]
    for target in FOOTER_PAGES:
        assert f'href="{reverse(target)}"' in footer
    assert f'href="{reverse("helpcentre:index")}"' in footer


def test_accessibility_statement_gives_status_non_conformities_and_contact(client, settings):
    page = text(client.get(reverse("pages:accessibility")))
    assert "partiellement conforme" in page and "RGAA 4.1" in page
    assert "Non-conformités connues" in page
    assert f"mailto:{settings.SUPPORT_EMAIL}" in page
    assert "Défenseur des droits" in page


def test_site_map_lists_the_public_pages(client):
    page = text(client.get(reverse("pages:site_map")))
    for name in [
        "home",
        "account_requests:create",
        "certificates:verify_form",
        "helpcentre:index",
        *FOOTER_PAGES,
    ]:
        assert f'href="{reverse(name)}"' in page
