import pytest

from apikeys.services import api_key_create
from companies.models import Role
from tests.companies.factories import MembershipFactory


@pytest.fixture
def mandataire(db):
    return MembershipFactory(role=Role.MANDATAIRE)


@pytest.fixture
def make_key(mandataire):
    """``make_key(scope="lecture", membership=None)`` → (ApiKey, the key in clear)."""

    def make(scope="lecture", membership=None, name=None):
        membership = membership or mandataire
        return api_key_create(membership=membership, name=name or f"Clé {scope}", scope=scope)

    return make


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
