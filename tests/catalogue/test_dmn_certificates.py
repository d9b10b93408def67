"""DMN certificates of conformity as a catalogue source: listed with their lines while valid (page,
CSV, API), the DMN line filter, the product's history, the public verification, and privacy."""

import csv
import io
import uuid
from html import escape

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalogue.selectors import CatalogueFilters, catalogue_rows
from certificates.models import Certificate
from certificates.services import certificate_revoke
from dmn.models import Line
from tests.catalogue.factories import attest
from tests.dmn.certify import TWO_LINES, certified, validated_candidatures
from tests.dmn.factories import import_dmn

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:list")
EXPORT = reverse("catalogue:export")
API = "/api/v1/catalogue"
SECRET = "Réponse confidentielle de l'exploitant"
REASON = "Alerte d'hypoglycémie non conforme."


@pytest.fixture(autouse=True)
def dmn_questionnaires(db):
    cache.delete("certificates:verify:127.0.0.1")
    return import_dmn()


def product_url(certificate) -> str:
    return reverse(
        "catalogue:product", kwargs={"public_id": certificate.assessment.product_version.product.public_id}
    )


def verify_url(certificate) -> str:
    return reverse("certificates:verify", kwargs={"code": certificate.display_code})


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def codes(response) -> set[str]:
    return {entry.verification_code for entry in response.context["entries"]}


def bulk_copies(certificate: Certificate, count: int) -> None:
    """``count`` more listed certificates stating the same (query-count runs)."""
    Certificate.objects.bulk_create(
        Certificate(
            kind=certificate.kind,
            status=certificate.status,
            company_id=certificate.company_id,
            assessment_id=certificate.assessment_id,
            procedure_ref=uuid.uuid4(),
            snapshot=certificate.snapshot,
            snapshot_sha256=uuid.uuid4().hex * 2,
            template_version=certificate.template_version,
            file=certificate.file.name,
            rendered_at=certificate.rendered_at,
        )
        for _ in range(count)
    )


def test_a_valid_certificate_is_listed_with_its_lines(client):
    certificate = certified(TWO_LINES)
    content = client.get(LIST).content.decode()
    assert certificate.snapshot["product"]["display_name"] in content
    assert "Diabète, Insuffisance cardiaque chronique" in content
    assert f"Certificat de conformité {certificate.display_code}" in content
    assert f"{certificate.snapshot['questionnaire']['title']} (version 1)".replace("'", "&#x27;") in content


def test_the_line_filter_lists_the_certificates_covering_that_line(client):
    diabetes, heart, attestation = certified([Line.DIABETE]), certified([Line.CARDIAQUE]), attest()
    assert codes(client.get(LIST)) == {diabetes.code, heart.code, attestation.code}
    response = client.get(LIST, {"ligne": Line.DIABETE})
    assert codes(response) == {diabetes.code}
    assert '<option value="diabete" selected>Diabète</option>' in response.content.decode()
    assert codes(client.get(LIST, {"ligne": Line.CARDIAQUE})) == {heart.code}
    assert codes(client.get(LIST, {"ligne": "oncologie"})) == {diabetes.code, heart.code, attestation.code}
    both = certified(TWO_LINES)
    assert codes(client.get(LIST, {"ligne": Line.CARDIAQUE})) == {heart.code, both.code}


def test_csv_states_the_lines_and_follows_the_line_filter(client):
    certificate, _other = certified(TWO_LINES), certified([Line.RENAL])
    attest()
    rows = csv_rows(client.get(EXPORT, {"ligne": Line.DIABETE}))
    assert rows[0][7] == "lignes génériques certifiées"
    assert len(rows) == 2
    assert rows[1][2] == certificate.snapshot["product"]["display_name"]
    assert rows[1][7] == "Diabète, Insuffisance cardiaque chronique"
    assert rows[1][-2] == certificate.display_code


def test_api_lists_lines_and_filters_by_line(client):
    certificate, renal = certified(TWO_LINES), certified([Line.RENAL])
    attest()
    items = client.get(API, {"ligne": "diabete"}).json()["items"]
    assert [item["verification_code"] for item in items] == [certificate.display_code]
    (item,) = items
    assert item["document_kind"] == "conformite" and item["profiles_reached"] == []
    assert [line["label"] for line in item["lines"]] == ["Diabète", "Insuffisance cardiaque chronique"]
    assert item["lines"][0]["specifications"] == {
        "code": "dmn_diabete",
        "title": "Spécifications techniques — Diabète",
        "version": "1",
    }
    renal_items = client.get(API, {"ligne": "renal"}).json()["items"]
    assert [item["verification_code"] for item in renal_items] == [renal.display_code]
    everything = client.get(API).json()["items"]
    assert len(everything) == 3
    assert {len(item["lines"]) for item in everything} == {0, 1, 2}


def test_the_line_filter_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/catalogue"]["get"]["parameters"]
    (line,) = [parameter for parameter in parameters if parameter["name"] == "ligne"]
    assert "ligne générique" in line["description"] or "ligne générique" in str(line["schema"])


def test_a_revoked_certificate_leaves_the_catalogue_and_shows_in_the_history(client):
    certificate = certified([Line.DIABETE])
    assert codes(client.get(LIST)) == {certificate.code}
    certificate_revoke(certificate=certificate, actor=None, reason=REASON)
    assert codes(client.get(LIST)) == set()
    assert client.get(API).json()["items"] == []
    response = client.get(product_url(certificate))
    assert response.status_code == 200
    (entry,) = response.context["product"].history
    assert entry.kind_label == "Certificat de conformité" and entry.lines == ["Diabète"]
    assert entry.revoked_at is not None
    content = response.content.decode()
    assert "Révoqué le" in content and escape(REASON) in content
    verification = client.get(verify_url(certificate)).content.decode()
    assert "Document révoqué" in verification and "Document valide" not in verification
    assert client.get(f"/api/v1/verification/{certificate.code}").json()["status"] == "revoque"


def test_the_product_page_lists_the_certificate_with_its_lines(client):
    certificate = certified(TWO_LINES)
    response = client.get(product_url(certificate))
    (entry,) = response.context["product"].history
    assert entry.lines == ["Diabète", "Insuffisance cardiaque chronique"]
    assert "Diabète, Insuffisance cardiaque chronique" in response.content.decode()


def test_the_verification_page_lists_every_certified_line(client, django_assert_max_num_queries):
    certificate = certified(TWO_LINES)
    with django_assert_max_num_queries(2):
        response = client.get(verify_url(certificate))
    content = response.content.decode()
    assert response.status_code == 200 and "Document valide" in content
    assert "Certificat de conformité" in content
    assert certificate.snapshot["company"]["name"] in content and "Exploitant" in content
    assert certificate.snapshot["product"]["display_name"] in content
    assert "Diabète — Spécifications techniques — Diabète, version 1" in content
    assert "Insuffisance cardiaque chronique — Spécifications techniques — Insuffisance cardiaque" in content
    assert "dmn_diabete" not in content and "dmn_referentiel" not in content
    body = client.get(f"/api/v1/verification/{certificate.code}").json()
    assert body["kind"] == "conformite" and body["status"] == "valide"
    assert [line["label"] for line in body["lines"]] == ["Diabète", "Insuffisance cardiaque chronique"]


def test_neither_catalogue_nor_verification_shows_answers(client):
    (candidature,), _reviewer = validated_candidatures(TWO_LINES, comment=SECRET)
    certificate = Certificate.objects.get(procedure_ref=candidature.public_id)
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.READY,
        file="certificates/conformite.pdf",
        rendered_at=certificate.created_at,
    )
    for url in (LIST, EXPORT, API, product_url(certificate), verify_url(certificate)):
        body = client.get(url).content.decode("utf-8-sig")
        assert certificate.display_code in body or certificate.code in body, url
        assert SECRET not in body and escape(SECRET) not in body, url
    assert '"comment"' not in client.get(API).content.decode()


def test_reviewer_revokes_the_certificate_from_the_referential_page(
    reviewer_client, django_capture_on_commit_callbacks, mailoutbox
):
    from companies.models import Role
    from tests.companies.factories import MembershipFactory

    certificate = certified([Line.DIABETE])
    MembershipFactory(company=certificate.company, role=Role.MANDATAIRE)
    url = reverse("review:assessments:revoke", args=[certificate.assessment.public_id, certificate.public_id])
    page = reviewer_client.get(url)
    assert page.status_code == 200 and "toutes les lignes de sa candidature" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert reviewer_client.post(url, {"reason": REASON}).status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).revocation_reason == REASON
    subjects = [message.subject for message in mailoutbox]
    name = certificate.snapshot["product"]["display_name"]
    assert f"Convergence : certificat de conformité révoqué pour {name}" in subjects


@pytest.mark.parametrize("url", [LIST, EXPORT, API])
def test_query_count_does_not_grow_with_certificates(client, django_assert_max_num_queries, url):
    certificate = certified(TWO_LINES)
    attest()
    parameters = {"ligne": "diabete"} if url != API else {"ligne": "diabete", "limit": 100}
    with django_assert_max_num_queries(7) as few:
        assert client.get(url, parameters).status_code == 200
    bulk_copies(certificate, 150)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, parameters)
    assert response.status_code == 200


def test_search_finds_certificates_through_their_stated_columns():
    certificate = certified([Line.DIABETE])
    word = certificate.snapshot["product"]["display_name"].split()[0]
    found = {
        row["verification_code"] for row in catalogue_rows(CatalogueFilters(search=word, line="diabete"))
    }
    assert certificate.code in found


def test_search_finds_a_certificate_by_the_labels_of_its_lines(client):
    diabetes = certified([Line.DIABETE, Line.CARDIAQUE])
    renal = certified([Line.RENAL])
    attestation = attest()
    for word in ("diabète", "diabete", "DIABÈTE", "cardiaque chronique"):
        assert codes(client.get(LIST, {"recherche": word})) == {diabetes.code}, word
    assert codes(client.get(LIST, {"recherche": "renale"})) == {renal.code}
    # Every line's label is searched, the attestations' texts as before; no JSON punctuation is.
    assert codes(client.get(LIST, {"recherche": "insuffisance chronique"})) == {diabetes.code, renal.code}
    assert attestation.code in codes(
        client.get(LIST, {"recherche": attestation.snapshot["product"]["display_name"]})
    )
    assert not codes(client.get(LIST, {"recherche": '"'})) and not codes(client.get(LIST, {"recherche": "["}))
    found = {row["verification_code"] for row in catalogue_rows(CatalogueFilters(search="diabete"))}
    assert found == {diabetes.code}


def test_search_of_a_line_can_be_served_by_the_trigram_index_of_certificates():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'certificates_certified_search'")
        [definition] = cursor.fetchone()
    assert "USING gin (stated_search gin_trgm_ops)" in definition
    certified([Line.DIABETE])
    plan = catalogue_rows(CatalogueFilters(search="Diabète")).explain()
    assert "(stated_search ~~ '%diabete%'::text)" in plan, plan


def test_subscribers_are_told_of_a_certificate_issued_then_revoked(client):
    from django.core import mail

    from catalogue import services
    from catalogue.models import Frequency, Subscription

    certificate = certified([Line.DIABETE])
    product = certificate.assessment.product_version.product
    assert client.get(product_url(certificate)).status_code == 200  # its page offers the subscription
    Subscription.objects.create(
        email="lecteur@hopital.example",
        product=product,
        frequency=Frequency.EACH,
        confirmed_at=certificate.rendered_at,
    )
    assert services.subscriptions_notify_document(certificate_id=certificate.pk, change="issued") == 1
    assert mail.outbox[0].subject == (
        f"Convergence : certificat de conformité délivré pour {certificate.snapshot['product']['display_name']}"
    )
    assert "Un certificat de conformité a été délivré le" in mail.outbox[0].body
    certificate_revoke(certificate=certificate, actor=None, reason=REASON)
    assert services.subscriptions_notify_document(certificate_id=certificate.pk, change="revoked") == 1
    assert "le certificat de conformité " + certificate.display_code in mail.outbox[-1].body


def test_pages_showing_a_certificate_pass_the_nu_checker(client):
    from tests.html_checker import nu_errors, require_checker

    require_checker()
    certificate, revoked = certified(TWO_LINES), certified([Line.RENAL], revoked=True)
    urls = [LIST, f"{LIST}?ligne=diabete", product_url(certificate), product_url(revoked)]
    urls += [verify_url(certificate), verify_url(revoked)]
    documents = [(url, client.get(url).content.decode()) for url in urls]
    assert nu_errors(documents) == []
