from django.core.paginator import Paginator
from django.template import RequestContext, Template
from django.test import RequestFactory


def render(query_string: str, page_number: int) -> str:
    request = RequestFactory().get(f"/liste/?{query_string}")
    page = Paginator(range(100), 10).page(page_number)
    template = Template("{% load pagination %}{% pagination page %}")
    return template.render(RequestContext(request, {"page": page}))


def test_pagination_keeps_filters_and_replaces_the_page():
    html = render("q=sant%C3%A9&state=submitted&page=3", 3)
    assert 'href="?q=sant%C3%A9&amp;state=submitted&amp;page=2"' in html
    assert 'href="?q=sant%C3%A9&amp;state=submitted&amp;page=4"' in html
    assert "3 / 10" in html


def test_pagination_without_filters_and_on_a_single_page():
    assert 'href="?page=2"' in render("", 1)
    single = Paginator(range(3), 10).page(1)
    html = Template("{% load pagination %}{% pagination page %}").render(
        RequestContext(RequestFactory().get("/"), {"page": single})
    )
    assert "fr-pagination" not in html
