"""The page shell's cached fragments ({% cache %} in base.html and the area shells): rendered once per
process, then reused, and never showing one page's or one role's navigation on another."""

import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.template.defaulttags import URLNode
from django.urls import reverse

from companies.models import Role

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
API_KEYS = "Clés d'API</a>"


@pytest.fixture(autouse=True)
def cold_fragments():
    caches["template_fragments"].clear()
    yield
    caches["template_fragments"].clear()


def url_tags_rendered(client, url) -> tuple[int, str]:
    """How many {% url %} tags the page rendered, and the page (CSRF tokens blanked)."""
    original = URLNode.render
    with mock.patch.object(URLNode, "render", autospec=True, side_effect=original) as spy:
        response = client.get(url)
    assert response.status_code == 200
    return spy.call_count, CSRF.sub(r"\1…", response.content.decode())


def test_fragments_live_in_a_per_process_cache_outside_development(settings):
    assert isinstance(caches["template_fragments"], LocMemCache)
    assert settings.CACHES["template_fragments"]["TIMEOUT"] is None


@pytest.mark.django_db
def test_a_warm_shell_reverses_no_url_of_its_navigation_and_footer_and_renders_the_same(
    vendor_client_factory,
):
    client = vendor_client_factory(role=Role.MANDATAIRE)
    url = reverse("portal:products:list")
    cold_count, cold_page = url_tags_rendered(client, url)
    warm_count, warm_page = url_tags_rendered(client, url)
    assert warm_page == cold_page
    # Portal navigation (5), public footer (6) and the head/scripts: none reversed again.
    assert cold_count - warm_count >= 11


@pytest.mark.django_db
def test_the_portal_navigation_follows_the_role_with_a_warm_cache(vendor_client_factory):
    url = reverse("portal:products:list")
    mandataire = vendor_client_factory(role=Role.MANDATAIRE)
    salarie = vendor_client_factory(role=Role.SALARIE)
    assert API_KEYS in mandataire.get(url).content.decode()
    assert API_KEYS not in salarie.get(url).content.decode()
    assert API_KEYS in mandataire.get(url).content.decode()


@pytest.mark.django_db
def test_the_navigation_marks_the_page_shown_with_a_warm_cache(vendor_client_factory):
    client = vendor_client_factory(role=Role.SALARIE)
    products = client.get(reverse("portal:products:list")).content.decode()
    members = client.get(reverse("portal:members:list")).content.decode()
    current = re.compile(r'<a class="fr-nav__link" href="([^"]+)" aria-current="page">')
    assert current.findall(products) == [reverse("portal:products:list")]
    assert current.findall(members) == [reverse("portal:members:list")]


@pytest.mark.django_db
def test_the_public_navigation_marks_the_page_shown_with_a_warm_cache(client):
    current = re.compile(r'<a class="fr-nav__link" href="([^"]+)" aria-current="page">')
    assert current.findall(client.get(reverse("home")).content.decode()) == [reverse("home")]
    catalogue = client.get(reverse("catalogue:list")).content.decode()
    assert current.findall(catalogue) == [reverse("catalogue:list")]
    assert current.findall(client.get(reverse("home")).content.decode()) == [reverse("home")]


def test_an_edited_template_empties_the_fragments_in_development(tmp_path):
    from django.utils.autoreload import file_changed

    caches["template_fragments"].set("fragment", "ancien")
    file_changed.send(sender=None, file_path=tmp_path / "settings.py")
    assert caches["template_fragments"].get("fragment") == "ancien"
    file_changed.send(sender=None, file_path=tmp_path / "base.html")
    assert caches["template_fragments"].get("fragment") is None
