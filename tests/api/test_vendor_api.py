"""The vendor API: key hashing, scopes, revocation, company isolation, the writes (same services and
validation as the portal) audited with the key's name, and the per-key rate limit."""

import datetime
import hashlib
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from apikeys.models import ApiKey
from assessments import interchange, services
from assessments.models import Answer, Assessment
from audit.models import AnswerEvent, ProductVersionEvent
from companies.models import Role
from tests.api.conftest import bearer
from tests.assessments.factories import (
    DECLARATION_ITEM,
    GATED_ITEM,
    QUALIFIED,
    AssessmentFactory,
    declaration_questionnaire_version,
    questionnaire_version,
)
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db


def assessment_of(company, **kwargs) -> Assessment:
    version = ProductVersionFactory(product=ProductFactory(company=company))
    return AssessmentFactory(product_version=version, **kwargs)


def document(assessment: Assessment, level: str = "vert") -> str:
    codes = list(assessment.questionnaire_version.items.values_list("code", flat=True))
    answers = {code: {"level": level, "comment": "Poussé par l'intégration continue."} for code in codes}
    answers.pop(GATED_ITEM, None)  # gated on a qualification answered « non »
    return json.dumps(
        {
            "questionnaire": {"code": assessment.questionnaire_version.questionnaire.code, "version": 1},
            "qualification": QUALIFIED,
            "answers": answers,
        }
    )


def test_only_the_hash_is_stored(make_key):
    api_key, key = make_key()
    assert key.startswith("cvg_") and len(key) > 40
    stored = ApiKey.objects.filter(pk=api_key.pk).values()[0]
    assert key not in json.dumps(stored, default=str)
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()


def test_lecture_lists_the_company_products_only(client, make_key, mandataire):
    assessment = assessment_of(mandataire.company)
    assessment_of(MembershipFactory().company)  # another company's
    _api_key, key = make_key()
    response = client.get("/api/v1/entreprise/produits", **bearer(key))
    assert response.status_code == 200
    products = response.json()
    assert [product["id"] for product in products] == [str(assessment.product_version.product.public_id)]
    assert products[0]["versions"][0]["assessments"][0]["state"] == "draft"
    detail = client.get(f"/api/v1/entreprise/evaluations/{assessment.public_id}", **bearer(key)).json()
    assert set(detail["profiles"]) == {"administration", "alimentation", "consultation"}


def test_another_company_assessment_is_404(client, make_key):
    other = assessment_of(MembershipFactory().company)
    _api_key, key = make_key(scope="ecriture")
    assert client.get(f"/api/v1/entreprise/evaluations/{other.public_id}", **bearer(key)).status_code == 404
    url = f"/api/v1/entreprise/evaluations/{other.public_id}/reponses"
    assert client.put(url, document(other), "application/json", **bearer(key)).status_code == 404


def test_a_key_reaches_only_its_company_even_when_its_creator_belongs_to_another(
    client, make_key, mandataire
):
    elsewhere = MembershipFactory(user=mandataire.user, mandataire=True).company
    other = assessment_of(elsewhere)
    _api_key, key = make_key(scope="ecriture")
    assert client.get(f"/api/v1/entreprise/evaluations/{other.public_id}", **bearer(key)).status_code == 404
    product = other.product_version.product
    url = f"/api/v1/entreprise/produits/{product.public_id}/versions"
    response = client.post(url, '{"label": "9.9"}', "application/json", **bearer(key))
    assert response.status_code == 404
    assert not product.versions.filter(label="9.9").exists()


@pytest.mark.parametrize("header", [None, "Bearer cvg_inconnue", "Basic abc"])
def test_missing_or_unknown_key_is_401(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/entreprise/produits", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"].startswith("Clé d'API absente")


def test_revoked_key_stops_working(client, make_key, mandataire):
    api_key, key = make_key()
    assert client.get("/api/v1/entreprise/produits", **bearer(key)).status_code == 200
    from apikeys.services import api_key_revoke

    api_key_revoke(api_key=api_key, membership=mandataire)
    assert client.get("/api/v1/entreprise/produits", **bearer(key)).status_code == 401


def test_key_stops_when_its_creator_leaves(client, make_key, mandataire):
    _api_key, key = make_key()
    mandataire.is_active = False
    mandataire.save()
    assert client.get("/api/v1/entreprise/produits", **bearer(key)).status_code == 401


def test_lecture_key_cannot_write(client, make_key, mandataire):
    assessment = assessment_of(mandataire.company)
    _api_key, key = make_key(scope="lecture")
    url = f"/api/v1/entreprise/evaluations/{assessment.public_id}/reponses"
    response = client.put(url, document(assessment), "application/json", **bearer(key))
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Cette clé est en lecture seule")
    assert not Answer.objects.filter(assessment=assessment).exclude(level="").exists()


def test_ecriture_runs_the_whole_flow_audited_with_the_key_name(client, make_key, mandataire):
    product = ProductFactory(company=mandataire.company)
    version = questionnaire_version(items=6)
    _api_key, key = make_key(scope="ecriture", name="Intégration continue")
    created = client.post(
        f"/api/v1/entreprise/produits/{product.public_id}/versions",
        json.dumps({"label": "5.2"}),
        "application/json",
        **bearer(key),
    )
    assert created.status_code == 201
    started = client.post(
        f"/api/v1/entreprise/versions/{created.json()['id']}/evaluations",
        json.dumps({"questionnaire": version.questionnaire.code}),
        "application/json",
        **bearer(key),
    )
    assert started.status_code == 201
    assessment = Assessment.objects.get(public_id=started.json()["id"])
    imported = client.put(
        f"/api/v1/entreprise/evaluations/{assessment.public_id}/reponses",
        document(assessment),
        "application/json",
        **bearer(key),
    )
    assert imported.status_code == 200, imported.content
    assert "alimentation" in imported.json()["reached_profiles"]
    submitted = client.post(
        f"/api/v1/entreprise/evaluations/{assessment.public_id}/soumission", **bearer(key)
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted"
    for events in (
        ProductVersionEvent.objects.filter(pgh_obj__label="5.2"),
        AnswerEvent.objects.filter(assessment=assessment, pgh_label="update"),
    ):
        assert events.exists()
        assert {event.pgh_context.metadata["api_key"] for event in events} == {"Intégration continue"}
    # The state change is in its one history, the transition log, with the key it went through.
    assert list(assessment.transitions.values_list("to_state", "api_key_name")) == [
        ("submitted", "Intégration continue")
    ]


def test_import_is_all_or_nothing_with_every_error(client, make_key, mandataire):
    assessment = assessment_of(mandataire.company)
    _api_key, key = make_key(scope="ecriture")
    bad = json.loads(document(assessment))
    bad["answers"]["A08.3.1"]["level"] = "bleu"
    bad["answers"]["A08.4.1"] = {"level": "na"}
    url = f"/api/v1/entreprise/evaluations/{assessment.public_id}/reponses"
    response = client.put(url, json.dumps(bad), "application/json", **bearer(key))
    assert response.status_code == 422
    assert len(response.json()["errors"]) >= 2
    assert not Answer.objects.filter(assessment=assessment).exclude(level="").exists()


def test_import_carries_a_sworn_declaration_with_the_page_rules(client, make_key, mandataire):
    assessment = assessment_of(
        mandataire.company, questionnaire_version=declaration_questionnaire_version(items=8)
    )
    _api_key, key = make_key(scope="ecriture")
    url = f"/api/v1/entreprise/evaluations/{assessment.public_id}/reponses"
    sent = json.loads(document(assessment))
    sent["answers"][DECLARATION_ITEM] = {
        "level": "na",
        "justification": "Aucune identité traitée.",
        "declarant": "Claire Durand",
        "declarant_role": "Présidente",
        "declared_on": "2025-03-02",
    }
    assert client.put(url, json.dumps(sent), "application/json", **bearer(key)).status_code == 200
    declared = Answer.objects.get(assessment=assessment, item__code=DECLARATION_ITEM)
    assert (declared.declarant, declared.declared_on) == ("Claire Durand", datetime.date(2025, 3, 2))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    sent["answers"][DECLARATION_ITEM]["declared_on"] = tomorrow
    sent["answers"]["A08.5.23"] = {"level": "na", "justification": "Rien.", "declarant": "Claire Durand"}
    sent["answers"]["A08.3.1"]["declared_on"] = "2025-02-30"
    response = client.put(url, json.dumps(sent), "application/json", **bearer(key))
    assert response.status_code == 422
    assert response.json()["errors"] == [interchange.NOT_A_DATE.format(code="A08.3.1")]
    del sent["answers"]["A08.3.1"]["declared_on"]
    response = client.put(url, json.dumps(sent), "application/json", **bearer(key))
    assert response.status_code == 422
    assert sorted(response.json()["errors"]) == [
        services.IMPORT_ANSWER_ERROR.format(
            code="A08.5.23", message=services.IMPORT_DECLARATION_NOT_EXPECTED.format(code="A08.5.23")
        ),
        services.IMPORT_ANSWER_ERROR.format(code=DECLARATION_ITEM, message=services.DECLARATION_FUTURE),
    ]
    declared.refresh_from_db()
    assert declared.declared_on == datetime.date(2025, 3, 2)
    assert Answer.objects.get(assessment=assessment, item__code="A08.5.23").level == "vert"


def test_the_schema_documents_every_key_of_an_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, method in [
        ("/api/v1/entreprise/evaluations/{assessment_id}/reponses", "put"),
        ("/api/v1/profils/evaluation", "post"),
    ]:
        body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        answer = body["properties"]["answers"]["additionalProperties"]
        assert set(answer["properties"]) == interchange.ANSWER_KEYS
        assert answer["additionalProperties"] is False and answer["required"] == ["level"]
        assert answer["properties"]["to_review"]["type"] == "boolean"
        assert answer["properties"]["declared_on"]["format"] == "date"


def test_submitting_an_incomplete_assessment_lists_the_items(client, make_key, mandataire):
    assessment = assessment_of(mandataire.company)
    _api_key, key = make_key(scope="ecriture")
    response = client.post(f"/api/v1/entreprise/evaluations/{assessment.public_id}/soumission", **bearer(key))
    assert response.status_code == 422
    assert any(line.startswith("A08.3.1 : ") for line in response.json()["errors"])


def test_submitting_without_a_required_proof_is_refused_as_on_the_page(client, make_key, mandataire):
    """The API submits through the same service as the page: answers complete, proofs missing → 422."""
    from tests.proofs.factories import assessment_with_proofs

    assessment, expected, _mandataire = assessment_with_proofs(company=mandataire.company)
    _api_key, key = make_key(scope="ecriture")
    response = client.post(f"/api/v1/entreprise/evaluations/{assessment.public_id}/soumission", **bearer(key))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    item = expected["rapport"].item.code
    assert any(line.startswith(f"{item} : ") and "preuve" in line for line in response.json()["errors"])
    assessment.refresh_from_db()
    assert assessment.state == "draft" and not assessment.submissions.exists()


def test_key_rate_limit(client, make_key, settings):
    settings.API_KEY_LIMIT = 1
    _api_key, key = make_key()
    assert client.get("/api/v1/entreprise/produits", **bearer(key)).status_code == 200
    response = client.get("/api/v1/entreprise/produits", **bearer(key))
    assert response.status_code == 429 and response["Retry-After"] == "60"
    _other_api_key, other = make_key(name="Autre")
    assert client.get("/api/v1/entreprise/produits", **bearer(other)).status_code == 200


# --- The portal's key pages ---------------------------------------------------------------------------
def test_mandataire_creates_a_key_shown_once(vendor_client_factory):
    client = vendor_client_factory(role=Role.MANDATAIRE)
    url = reverse("portal:api_keys:list")
    response = client.post(url, {"name": "Intégration continue", "scope": "ecriture"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    api_key = ApiKey.objects.get(company=client.company)
    assert (api_key.name, api_key.scope) == ("Intégration continue", "ecriture")
    assert key not in client.get(url).content.decode()
    revoke = client.post(reverse("portal:api_keys:revoke", args=[api_key.public_id]))
    assert revoke.status_code == 302
    api_key.refresh_from_db()
    assert api_key.is_revoked


@pytest.mark.parametrize("role", [Role.REPRESENTANT, Role.SALARIE])
def test_only_mandataires_manage_keys(vendor_client_factory, role):
    client = vendor_client_factory(role=role)
    assert client.get(reverse("portal:api_keys:list")).status_code == 403
    assert client.post(reverse("portal:api_keys:list"), {"name": "x", "scope": "lecture"}).status_code == 403


def test_another_company_key_cannot_be_revoked(vendor_client_factory, make_key):
    api_key, _key = make_key()
    client = vendor_client_factory(role=Role.MANDATAIRE)
    assert client.post(reverse("portal:api_keys:revoke", args=[api_key.public_id])).status_code == 404


def test_a_dmn_questionnaire_is_not_submitted_alone_through_the_api(client, make_key, mandataire):
    """Its candidature submits it (the candidature's page); the API is refused by the workflow."""
    from assessments.workflow import SUBMIT_WITH_CANDIDATURE
    from dmn.models import Line
    from tests.dmn.factories import complete_candidature, file_candidatures, import_dmn

    import_dmn()
    version = ProductVersionFactory(product=ProductFactory(company=mandataire.company))
    (candidature,) = file_candidatures(version, mandataire.user, [Line.DIABETE])
    complete_candidature(candidature, mandataire.user)
    line = candidature.lines.get().assessment
    _api_key, key = make_key(scope="ecriture")
    response = client.post(f"/api/v1/entreprise/evaluations/{line.public_id}/soumission", **bearer(key))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == SUBMIT_WITH_CANDIDATURE
    line.refresh_from_db()
    assert line.state == "draft" and not line.transitions.exists() and not line.submissions.exists()


@pytest.mark.parametrize("text", ["5.2\x00", "5.2\ud800"])
def test_a_text_postgresql_cannot_store_is_a_422_problem_and_creates_nothing(
    client, make_key, mandataire, text
):
    product = ProductFactory(company=mandataire.company)
    _api_key, key = make_key(scope="ecriture")
    url = f"/api/v1/entreprise/produits/{product.public_id}/versions"
    response = client.post(url, json.dumps({"label": text}), "application/json", **bearer(key))
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert [line.split(" : ")[0] for line in response.json()["errors"]] == ["body.payload.label"]
    assert not product.versions.exists()
    version = ProductVersionFactory(product=product)
    started = client.post(
        f"/api/v1/entreprise/versions/{version.public_id}/evaluations",
        json.dumps({"questionnaire": "interop" + text[-1]}),
        "application/json",
        **bearer(key),
    )
    assert started.status_code == 422, started.content[:300]
    assert not Assessment.objects.filter(product_version=version).exists()
