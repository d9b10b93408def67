"""The public API: catalogue (cursor pagination, filters, no answers), verification by code,
published referentials with their profile rules, and the DMP profile evaluation of a document."""

import json

import pytest

from assessments.models import Answer
from certificates.services import certificate_revoke
from tests.accounts.factories import UserFactory
from tests.assessments.factories import QUALIFIED, questionnaire_version
from tests.catalogue.factories import SECRET_COMMENT, attest, bulk_attestations

pytestmark = pytest.mark.django_db


def test_catalogue_pages_with_a_cursor(client):
    bulk_attestations(5)
    first = client.get("/api/v1/catalogue", {"limit": 4}).json()
    assert len(first["items"]) == 4 and first["next_cursor"]
    second = client.get("/api/v1/catalogue", {"limit": 4, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None  # 5 bulk rows and their template
    codes = [item["verification_code"] for item in first["items"] + second["items"]]
    assert len(set(codes)) == 6


def test_catalogue_filters_and_never_shows_answers(client):
    attestation = attest()
    Answer.objects.filter(assessment=attestation.assessment).update(comment=SECRET_COMMENT)
    bulk_attestations(2, names=["Hôpital Numérique", "Pharmacie"])
    response = client.get("/api/v1/catalogue", {"recherche": "hopital"})
    assert [item["product_name"] for item in response.json()["items"]] == ["Hôpital Numérique Linux Site Web"]
    everything = client.get("/api/v1/catalogue").content.decode()
    assert SECRET_COMMENT not in everything and "comment" not in everything
    item = client.get("/api/v1/catalogue", {"entreprise": str(attestation.company.public_id)}).json()["items"]
    assert item[0]["profiles_reached"] == ["alimentation"]


def test_bad_cursor_is_a_french_problem(client):
    response = client.get("/api/v1/catalogue", {"cursor": "pas-un-curseur"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("Curseur invalide")


def test_verification_by_code(client):
    attestation = attest()
    body = client.get(f"/api/v1/verification/{attestation.display_code.lower()}").json()
    assert (
        body["status"] == "valide" and body["product_name"] == attestation.snapshot["product"]["display_name"]
    )
    certificate_revoke(certificate=attestation, actor=UserFactory(reviewer=True), reason="Preuve retirée.")
    body = client.get(f"/api/v1/verification/{attestation.code}").json()
    assert body["status"] == "revoque" and body["revocation_reason"] == "Preuve retirée."
    missing = client.get("/api/v1/verification/AAAABBBBCCCCDDDD")
    assert missing.status_code == 404 and missing.json()["title"] == "Ressource introuvable"


def test_referentials_with_profile_rules(client):
    version = questionnaire_version(items=6)
    listing = client.get("/api/v1/referentiels").json()
    assert version.questionnaire.code in [entry["code"] for entry in listing]
    detail = client.get(f"/api/v1/referentiels/{version.questionnaire.code}/1").json()
    assert set(detail["profile_rules"]) == {"administration", "alimentation", "consultation"}
    assert detail["sections"][0]["items"][0]["code"] == "A08.3.1"
    assert "id" not in detail["sections"][0]["items"][0]
    assert client.get(f"/api/v1/referentiels/{version.questionnaire.code}/99").status_code == 404


def _document(code: str, level: str = "vert") -> dict:
    items = ["A08.3.1", "A08.4.1", "A08.5.01", "A08.5.23"]
    return {
        "questionnaire": {"code": code, "version": 1},
        "qualification": QUALIFIED,
        "answers": {item: {"level": level} for item in items},
    }


def test_profile_evaluation_of_a_document(client):
    version = questionnaire_version(items=6)
    response = client.post(
        "/api/v1/profils/evaluation", json.dumps(_document(version.questionnaire.code)), "application/json"
    )
    assert response.status_code == 200
    profiles = response.json()["profiles"]
    assert profiles["alimentation"]["reached"] and profiles["consultation"]["reached"]
    assert not profiles["administration"]["reached"]


def test_profile_evaluation_lists_every_problem_in_french(client):
    version = questionnaire_version(items=6)
    document = _document(version.questionnaire.code, level="bleu")
    response = client.post("/api/v1/profils/evaluation", json.dumps(document), "application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert len(errors) == 4 and "niveau « bleu » inconnu" in errors[0]
    broken = client.post("/api/v1/profils/evaluation", "{pas du json", "application/json")
    assert broken.status_code == 422 and "JSON lisible" in broken.json()["detail"]


def test_address_rate_limit_answers_429_with_retry_after(client, settings):
    settings.API_ADDRESS_LIMIT = 2
    assert client.get("/api/v1/referentiels").status_code == 200
    assert client.get("/api/v1/referentiels").status_code == 200
    response = client.get("/api/v1/referentiels")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["detail"] == "Trop de requêtes : réessayez dans 60 secondes."


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/catalogue?recherche=Dossier%00",
        "/api/v1/catalogue?profil=alimentation%00",
        "/api/v1/catalogue?ligne=diabete%00",
        "/api/v1/verification/AB%00CD",
        "/api/v1/referentiels/interop%00/1",
    ],
)
def test_a_nul_character_in_a_parameter_is_a_422_problem_not_a_server_error(client, url):
    """PostgreSQL stores no NUL character: a parameter holding one is refused before any query."""
    response = client.get(url)
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert "caractère interdit" in json.dumps(response.json(), ensure_ascii=False)
