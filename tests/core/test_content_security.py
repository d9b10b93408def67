"""Content-Security-Policy without inline script, and ``Cache-Control: no-store`` when signed in."""

import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from csp.utils import build_policy
from django.http import HttpResponse
from django.urls import reverse

from certificates import services as certificate_services
from companies.models import Role
from core import middleware
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.certificates.snapshots import certificate_from_snapshot
from tests.companies.factories import AccountRequestFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HTMX = {"HTTP_HX_REQUEST": "true"}


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


class InlineCode(HTMLParser):
    """Collects inline scripts, event-handler attributes (``onclick=``, ``hx-on…``) and ``javascript:`` URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self._in_inline_script = "src" not in attributes
            if self._in_inline_script:
                self.found.append(f"<script> sans src : {attrs}")
        for name, value in attrs:
            if name.startswith(("on", "hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}={value!r}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(content: str) -> list[str]:
    parser = InlineCode()
    parser.feed(content)
    return parser.found


# --- The policy ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_pages_carry_a_policy_without_inline_script(client):
    directives = policy(client.get(reverse("home")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert not any("'unsafe-eval'" in values for values in directives.values())


def test_no_template_holds_inline_script_or_handler():
    """Every page template, rendered or not: e-mails and PDF templates never reach a browser page."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith(("emails/", "certificates/pdf/")):
            continue
        source = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"\s(?:data-)?hx-on",
            r"javascript:",
        ):
            offenders += [f"{relative}: {match}" for match in re.findall(pattern, source)]
    assert offenders == []


@pytest.mark.django_db
def test_main_flow_pages_render_no_inline_script_or_handler(client, vendor_client_factory, reviewer_client):
    assessment = AssessmentFactory(
        in_review=True, reviewer=reviewer_client.user, questionnaire_version=questionnaire_version()
    )
    vendor = vendor_client_factory(role=Role.MANDATAIRE, company=assessment.product_version.product.company)
    pages = {
        client: [reverse("home"), reverse("accounts:login"), reverse("certificates:verify_form")],
        vendor: [
            reverse("portal:home"),
            reverse("portal:products:list"),
            reverse("portal:assessments:detail", args=[assessment.public_id]),
            reverse("portal:assessments:section", args=[assessment.public_id, 0]),
            reverse("portal:assessments:full", args=[assessment.public_id]),
            reverse("portal:members:list"),
        ],
        reviewer_client: [
            reverse("review:dashboard:index"),
            reverse("review:assessments:list"),
            reverse("review:assessments:detail", args=[assessment.public_id]),
            reverse("review:statistics:index"),
        ],
    }
    rendered = 0
    for who, urls in pages.items():
        for url in urls:
            response = who.get(url)
            assert response.status_code == 200, url
            assert inline_code(response.content.decode()) == [], url
            rendered += 1
    assert rendered == 13


def test_the_checker_finds_inline_code():
    page = '<script>alert(1)</script><button onclick="x()">a</button><form hx-on::after-request="y"></form>'
    assert len(inline_code(page + '<a href="javascript:z()">b</a><script src="/s.js"></script>')) == 4


# --- Cache-Control ------------------------------------------------------------------------------------
def assert_no_store(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control, response["Cache-Control"]


@pytest.mark.django_db
def test_signed_in_pages_and_fragments_are_never_stored(vendor_client_factory, reviewer_client):
    vendor = vendor_client_factory()
    assert_no_store(vendor.get(reverse("portal:home")))
    assert_no_store(vendor.get(reverse("home")))  # a public page, but shown to a signed-in person
    assert_no_store(reviewer_client.get(reverse("review:dashboard:index"), **HTMX))


@pytest.mark.django_db
def test_anonymous_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get(reverse("home")).get("Cache-Control", "")


@pytest.mark.django_db
def test_downloads_are_never_stored(vendor_client_factory, reviewer_client):
    certificate = certificate_services.certificate_render_pdf(certificate=certificate_from_snapshot())
    member = vendor_client_factory(company=certificate.company)
    response = member.get(reverse("certificates:download", args=[certificate.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_no_store(response)
    account_request = AccountRequestFactory()
    response = reviewer_client.get(
        reverse("review:account_requests:document", args=[account_request.public_id])
    )
    assert response.status_code == 200
    assert_no_store(response)


# --- The middleware setting it ------------------------------------------------------------------------
@pytest.mark.django_db
def test_every_kind_of_response_carries_the_same_policy(client, vendor_client_factory, settings):
    settings.DEBUG = False
    member = vendor_client_factory()
    responses = {
        "page": client.get(reverse("home")),
        "redirect": client.get(reverse("portal:home")),
        "not found": client.get("/nulle-part/"),
        "signed-in page": member.get(reverse("portal:home")),
        "fragment": member.get(reverse("portal:home"), **HTMX),
    }
    assert responses["redirect"].status_code == 302 and responses["not found"].status_code == 404
    assert {
        name: response["Content-Security-Policy"] for name, response in responses.items()
    } == dict.fromkeys(responses, build_policy())


def test_the_policy_is_built_once_not_for_each_response(monkeypatch, rf):
    built = []
    monkeypatch.setattr(middleware, "build_policy", lambda: built.append(1) or "default-src 'self'")
    chain = middleware.ContentSecurityPolicyMiddleware(lambda request: HttpResponse("ok"))
    responses = [chain(rf.get("/")) for _ in range(3)]
    assert [response["Content-Security-Policy"] for response in responses] == ["default-src 'self'"] * 3
    assert built == [1]


def test_a_response_with_its_own_policy_keeps_it(rf):
    def own_policy(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = middleware.ContentSecurityPolicyMiddleware(own_policy)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.parametrize("status", [404, 500])
def test_django_debug_error_pages_get_no_policy_their_scripts_are_inline(rf, settings, status):
    chain = middleware.ContentSecurityPolicyMiddleware(lambda request: HttpResponse("debug", status=status))
    settings.DEBUG = True
    assert "Content-Security-Policy" not in chain(rf.get("/"))
    settings.DEBUG = False
    assert chain(rf.get("/"))["Content-Security-Policy"] == build_policy()


def test_no_view_changes_the_policy_the_middleware_would_ignore_it():
    """The policy is built once for every page: django-csp's per-view decorators have no effect here."""
    root = TEMPLATES.parent
    sources = [
        path
        for path in root.rglob("*.py")
        if not path.relative_to(root).parts[0].startswith((".", "tests", "node_modules"))
    ]
    assert len(sources) > 100
    assert [path for path in sources if "csp.decorators" in path.read_text()] == []


def test_a_views_own_cache_directives_give_way_to_no_store_private(rf):
    def view(request):
        response = HttpResponse("ok")
        response["Cache-Control"] = "public, max-age=600"
        return response

    request = rf.get("/")
    request.user = SimpleNamespace(is_authenticated=True)
    cache_control = middleware.NoStoreWhenSignedInMiddleware(view)(request)["Cache-Control"]
    directives = {part.strip() for part in cache_control.split(",")}
    assert {"no-store", "private"} <= directives and "public" not in directives, cache_control
    request.user = SimpleNamespace(is_authenticated=False)
    assert middleware.NoStoreWhenSignedInMiddleware(view)(request)["Cache-Control"] == "public, max-age=600"
