"""Schemathesis against the served OpenAPI schema: no server error, every response conforms to the
schema (status codes, media types, bodies), for the public and the vendor operations."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from apikeys.services import api_key_create
from companies.models import Role
from convergence.wsgi import application
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.catalogue.factories import attest
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

# No server error, and status codes, media types, headers and bodies as documented. (Refusals of
# schema-valid data, such as a well-formed but made-up cursor, are documented 4xx problems.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
# Fetched from the application itself (no database needed to serve the schema).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def api_key(db, settings):
    """A write key of a company with a product and an assessment, and data on every public list."""
    settings.API_ADDRESS_LIMIT = 10**6
    settings.API_KEY_LIMIT = 10**6
    questionnaire_version(items=6)
    attest()
    membership = MembershipFactory(role=Role.MANDATAIRE)
    AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=membership.company))
    )
    # The application is called in the test's transaction, as Django's test client does it: the
    # signals that close "old" connections between requests are off meanwhile.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api_key_create(membership=membership, name="Schemathesis", scope="ecriture")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, api_key):
    response = case.call(headers={"Authorization": f"Bearer {api_key}"})
    case.validate_response(response, checks=CHECKS)
