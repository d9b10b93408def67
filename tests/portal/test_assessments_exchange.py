"""Download and upload of an assessment's JSON document from the portal."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import Answer
from companies.models import Role
from core.body_limit import BODY_TOO_LARGE
from tests.assessments.factories import (
    DECLARATION_ITEM,
    QUALIFIED,
    AssessmentFactory,
    declaration_questionnaire_version,
)
from tests.assessments.hostile import HOSTILE_FILES
from tests.companies.factories import CompanyFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def salarie(vendor_client_factory, company):
    return vendor_client_factory(role=Role.SALARIE, company=company)


def assessment_of(company, **kwargs):
    return AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=company)), **kwargs
    )


def upload(client, assessment, content: bytes):
    url = reverse("portal:assessments:import", args=[assessment.public_id])
    return client.post(url, {"file": SimpleUploadedFile("evaluation.json", content, "application/json")})


def test_download_is_an_attachment_with_the_document(salarie, company, django_assert_max_num_queries):
    assessment = assessment_of(company, answered=True)
    with django_assert_max_num_queries(8):
        response = salarie.get(reverse("portal:assessments:export", args=[assessment.public_id]))
    assert response["Content-Disposition"] == f'attachment; filename="evaluation-{assessment.public_id}.json"'
    assert json.loads(response.content)["answers"]["A08.4.1"] == {"level": "vert"}


def test_upload_fills_the_draft(salarie, company):
    source = assessment_of(company, answered=True)
    target = assessment_of(company, questionnaire_version=source.questionnaire_version)
    exported = salarie.get(reverse("portal:assessments:export", args=[source.public_id])).content
    response = upload(salarie, target, exported)
    assert response.status_code == 302
    assert Answer.objects.filter(assessment=target).exclude(level="").count() == 11


def test_upload_with_errors_lists_them_all_and_changes_nothing(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    code = assessment.questionnaire_version.questionnaire.code
    document = {
        "questionnaire": {"code": code, "version": 1},
        "qualification": QUALIFIED,
        "answers": {"A08.3.1": {"level": "na"}, "NOPE": {"level": "vert"}},
    }
    response = upload(salarie, assessment, json.dumps(document).encode())
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 422
    assert "rien n'a été modifié" in page
    assert "answers.NOPE" in page
    assert "answers.A08.3.1" in page
    assert not Answer.objects.filter(assessment=assessment).exclude(level="").exists()


def test_upload_of_garbage_is_a_clear_message(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    response = upload(salarie, assessment, b"\xff\xfe pas du json")
    assert response.status_code == 422
    assert "UTF-8" in response.content.decode()


def test_upload_to_a_submitted_assessment_is_refused(salarie, company):
    assessment = assessment_of(company, submitted=True)
    response = upload(salarie, assessment, b"{}")
    assert response.status_code == 422
    assert "ne peuvent plus être modifiées" in response.content.decode()


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_upload_of_a_hostile_file_is_a_french_422_and_changes_nothing(salarie, company, name):
    assessment = assessment_of(company, qualification=QUALIFIED)
    raw, message = HOSTILE_FILES[name]
    response = upload(salarie, assessment, raw)
    assert response.status_code == 422
    assert escape(message) in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exclude(level="").exists()


def test_upload_of_a_10_mb_file_is_refused_before_being_parsed(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    response = upload(salarie, assessment, b"{" + b" " * (10 * 1024 * 1024) + b"}")
    assert response.status_code == 413
    assert escape(BODY_TOO_LARGE.format(size=6)) in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exclude(level="").exists()


def test_upload_of_too_long_a_comment_is_refused_as_on_the_answer_page(salarie, company):
    assessment = assessment_of(company, qualification=QUALIFIED)
    code = assessment.questionnaire_version.questionnaire.code
    document = {
        "questionnaire": {"code": code, "version": 1},
        "qualification": QUALIFIED,
        "answers": {"A08.3.1": {"level": "vert", "comment": "x" * (services.TEXT_MAX_LENGTH + 1)}},
    }
    response = upload(salarie, assessment, json.dumps(document).encode())
    assert response.status_code == 422
    too_long = services.TEXT_TOO_LONG.format(field="commentaire", max=services.TEXT_MAX_LENGTH)
    assert escape(f"answers.A08.3.1 : {too_long}") in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment).exclude(level="").exists()


def test_upload_round_trips_a_declaration_and_refuses_one_on_another_item(salarie, company):
    version = declaration_questionnaire_version()
    source = assessment_of(company, questionnaire_version=version, qualification=QUALIFIED)
    declaration = {"declarant": "Claire Durand", "declarant_role": "Présidente", "declared_on": "2025-03-02"}
    Answer.objects.filter(assessment=source, item__code=DECLARATION_ITEM).update(
        level="na", justification="Aucune identité traitée.", **declaration
    )
    exported = json.loads(salarie.get(reverse("portal:assessments:export", args=[source.public_id])).content)
    assert exported["answers"][DECLARATION_ITEM]["declarant"] == "Claire Durand"
    target = assessment_of(company, questionnaire_version=version)
    exported["answers"]["A08.5.23"] = {"level": "na", "justification": "Rien."} | declaration
    response = upload(salarie, target, json.dumps(exported).encode())
    assert response.status_code == 422
    assert (
        escape(services.IMPORT_DECLARATION_NOT_EXPECTED.format(code="A08.5.23")) in response.content.decode()
    )
    assert not Answer.objects.filter(assessment=target).exclude(level="").exists()
    del exported["answers"]["A08.5.23"]
    assert upload(salarie, target, json.dumps(exported).encode()).status_code == 302
    assert Answer.objects.get(assessment=target, item__code=DECLARATION_ITEM).declarant == "Claire Durand"
