"""Every back-office URL, found by walking the URL configuration (a new page is covered the day it
is added), against the four kinds of visitors."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from certificates.models import Certificate
from certificates.services import certificate_request
from tests.accounts.helpers import accept_current_terms, make_reviewer, verified_login
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.companies.factories import AccountRequestFactory, MembershipFactory
from tests.dmn.factories import candidature_of
from tests.helpcentre.factories import EntryFactory
from tests.proofs.factories import proof_of

pytestmark = pytest.mark.django_db

PREFIX = "instruction/"


def instruction_patterns(resolver=None, prefix="", namespace=""):
    """(route, namespaced name, kwarg names) of every pattern whose route starts with /instruction/."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from instruction_patterns(pattern, route, space)
        elif isinstance(pattern, URLPattern) and route.startswith(PREFIX):
            yield route, f"{namespace}{pattern.name}", sorted(pattern.pattern.converters)


PATTERNS = list(instruction_patterns())


@pytest.fixture
def objects():
    version = questionnaire_version()
    assessment = AssessmentFactory(validated=True, questionnaire_version=version)
    proof = proof_of(assessment)
    return {
        "assessment": assessment,
        "version": version,
        "account_request": AccountRequestFactory(),
        "entry": EntryFactory(),
        "proof": proof,
        "certificate": certificate_request(
            assessment=assessment, kind=Certificate.Kind.ATTESTATION, actor=None
        ),
        "candidature": candidature_of(assessment),
    }


def url_kwargs(name: str, kwarg_names: list[str], objects) -> dict:
    """Real values for a pattern's arguments, by the flow the pattern belongs to."""
    values = {
        ("review:assessments", "public_id"): objects["assessment"].public_id,
        ("review:assessments", "certificate_id"): objects["certificate"].public_id,
        ("review:account_requests", "public_id"): objects["account_request"].public_id,
        ("review:referentials", "public_id"): objects["version"].public_id,
        ("review:statistics", "version_public_id"): objects["version"].public_id,
        ("review:statistics", "table"): "sections",
        ("review:helpcentre", "public_id"): objects["entry"].public_id,
        ("review:proofs", "public_id"): objects["assessment"].public_id,
        ("review:proofs", "proof_id"): objects["proof"].public_id,
        ("review:dmn", "public_id"): objects["candidature"].public_id,
    }
    flow = name.rsplit(":", 1)[0]
    missing = [kwarg for kwarg in kwarg_names if (flow, kwarg) not in values]
    assert not missing, f"Ajoutez au test des permissions une valeur réelle pour {name} : {missing}"
    return {kwarg: values[(flow, kwarg)] for kwarg in kwarg_names}


def test_the_walk_finds_the_back_office():
    names = {name for _, name, _ in PATTERNS}
    assert {"review:dashboard:index", "review:assessments:detail", "review:statistics:export"} <= names


@pytest.mark.parametrize(("route", "name", "kwarg_names"), PATTERNS, ids=[p[1] for p in PATTERNS])
def test_back_office_url_refuses_everyone_but_verified_reviewers(route, name, kwarg_names, objects):
    url = resolve_url(name, **url_kwargs(name, kwarg_names, objects))
    login = resolve_url(settings.LOGIN_URL)

    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(login), url

    vendor = MembershipFactory(mandataire=True, company=objects["assessment"].product_version.product.company)
    accept_current_terms(vendor.user)
    assert verified_login(Client(), vendor.user).get(url).status_code in (403, 404), url

    reviewer, device = make_reviewer()
    unverified = verified_login(Client(), reviewer).get(url)
    assert unverified.status_code == 302 and "/double-authentification/" in unverified.url, url

    verified = verified_login(Client(), reviewer, device)
    response = verified.get(url)
    if response.status_code == 405:  # an action: POST it (empty form: refused politely at worst)
        response = verified.post(url)
    assert response.status_code in (200, 302, 400), (url, response.status_code)
    if response.status_code == 302:
        assert not response.url.startswith(login) and "/double-authentification/" not in response.url, url
