"""Vendor operations, with an API key of the company: read its products, versions and assessments
(scope ``lecture``), and create a version, start an assessment, import answers and submit (scope
``ecriture``). Writes call the same services as the portal's pages, as the key's creator, each
audited with the key's name."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from api.fields import Text
from api.problems import responses
from api.public import INTERCHANGE_BODY
from api.security import KeyAuth, KeyThrottle, audited_write, company_object
from assessments.models import Assessment
from assessments.selectors import assessment_for_member
from assessments.services import (
    AssessmentIncomplete,
    assessment_import,
    assessment_start,
    parse_document,
)
from products.models import Product, ProductVersion
from products.selectors import product_for_member, product_version_for_member
from products.services import product_version_create
from proofs.services import assessment_submit
from questionnaires.models import QuestionnaireVersion
from questionnaires.selectors import published_version

router = Router(tags=["Éditeur (clé d'API)"], auth=KeyAuth(), throttle=[KeyThrottle()])

UNKNOWN_QUESTIONNAIRE = "Aucune version publiée du questionnaire « {code} »."
INCOMPLETE_ITEM = "{code} : {reason}"
READ = responses(401, 404, 422, 429)
WRITE = responses(400, 401, 403, 404, 413, 422, 429)


class AssessmentSummary(Schema):
    id: UUID
    questionnaire: str
    questionnaire_version: int
    state: str
    reached_profiles: list[str]
    submitted_at: datetime | None
    validated_at: datetime | None


class VersionOut(Schema):
    id: UUID
    label: str
    status: str
    assessments: list[AssessmentSummary]


class ProductOut(Schema):
    id: UUID
    name: str = Field(description="[Produit] [Système] [Support]")
    commercial_name: str
    versions: list[VersionOut]


class AssessmentOut(AssessmentSummary):
    product_id: UUID
    version_id: UUID
    profiles: dict[str, Any] = Field(description="par profil : atteint, conditions manquantes")


def _summary(assessment: Assessment) -> AssessmentSummary:
    version = assessment.questionnaire_version
    return AssessmentSummary(
        id=assessment.public_id,
        questionnaire=version.questionnaire.code,
        questionnaire_version=version.number,
        state=assessment.state,
        reached_profiles=assessment.reached_profiles,
        submitted_at=assessment.submitted_at,
        validated_at=assessment.validated_at,
    )


def _assessment_out(assessment: Assessment) -> AssessmentOut:
    return AssessmentOut(
        **_summary(assessment).model_dump(),
        product_id=assessment.product_version.product.public_id,
        version_id=assessment.product_version.public_id,
        profiles=assessment.profiles,
    )


@router.get(
    "/produits",
    response={200: list[ProductOut], **READ},
    url_name="products",
    summary="Produits de l'entreprise",
)
def products(request):
    """The company's products with their versions and assessments (three queries)."""
    assessments = Assessment.objects.select_related("questionnaire_version__questionnaire").order_by(
        "-created_at"
    )
    versions = ProductVersion.objects.order_by("-created_at").prefetch_related(
        Prefetch("assessments", queryset=assessments)
    )
    rows = (
        Product.objects.filter(company_id=request.auth.company_id)
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("name", "os", "device")
    )
    return [
        ProductOut(
            id=product.public_id,
            name=product.display_name,
            commercial_name=product.commercial_name,
            versions=[
                VersionOut(
                    id=version.public_id,
                    label=version.label,
                    status=version.status,
                    assessments=[_summary(assessment) for assessment in version.assessments.all()],
                )
                for version in product.versions.all()
            ],
        )
        for product in rows
    ]


@router.get(
    "/evaluations/{assessment_id}",
    response={200: AssessmentOut, **READ},
    url_name="assessment",
    summary="Une évaluation : état et profils",
)
def assessment_detail(request, assessment_id: UUID):
    assessment = company_object(request.auth, assessment_for_member, public_id=assessment_id)
    return _assessment_out(assessment)


class VersionIn(Schema):
    label: Text = Field(..., min_length=1, max_length=100)
    status: ProductVersion.Status = ProductVersion.Status.PRODUCTION


@router.post(
    "/produits/{product_id}/versions",
    response={201: VersionOut, **WRITE},
    url_name="version_create",
    summary="Créer une version du produit",
)
def version_create(request, product_id: UUID, payload: VersionIn):
    product = company_object(request.auth, product_for_member, public_id=product_id)
    with audited_write(request) as actor:
        version = product_version_create(
            product=product, actor=actor, label=payload.label, status=payload.status
        )
    return Status(
        201, VersionOut(id=version.public_id, label=version.label, status=version.status, assessments=[])
    )


class StartIn(Schema):
    questionnaire: Text = Field(..., min_length=1, max_length=50, description="code du questionnaire")
    version: int | None = Field(
        None, ge=1, le=10_000, description="numéro ; la dernière version publiée si absent"
    )


@router.post(
    "/versions/{version_id}/evaluations",
    response={201: AssessmentOut, **WRITE},
    url_name="assessment_start",
    summary="Commencer une évaluation",
)
def assessment_create(request, version_id: UUID, payload: StartIn):
    product_version = company_object(request.auth, product_version_for_member, public_id=version_id)
    try:
        questionnaire_version = published_version(payload.questionnaire, payload.version)
    except QuestionnaireVersion.DoesNotExist as error:
        raise HttpError(404, UNKNOWN_QUESTIONNAIRE.format(code=payload.questionnaire)) from error
    with audited_write(request) as actor:
        assessment = assessment_start(
            product_version=product_version, questionnaire_version=questionnaire_version, actor=actor
        )
    assessment.product_version = product_version
    return Status(201, _assessment_out(assessment))


@router.put(
    "/evaluations/{assessment_id}/reponses",
    response={200: AssessmentOut, **WRITE},
    url_name="assessment_import",
    summary="Importer les réponses (document d'échange, tout ou rien)",
    openapi_extra={"requestBody": INTERCHANGE_BODY},
)
def answers_import(request, assessment_id: UUID):
    """Fill an editable assessment from an interchange document, as the portal's import does: the
    whole document is validated first, every problem is listed (422), nothing is written unless
    everything is valid; items absent from the document keep their answer."""
    assessment = company_object(request.auth, assessment_for_member, public_id=assessment_id)
    with audited_write(request) as actor:
        document = parse_document(request.body)
        assessment_import(assessment=assessment, document=document, actor=actor)
    return _assessment_out(assessment)


@router.post(
    "/evaluations/{assessment_id}/soumission",
    response={200: AssessmentOut, **WRITE},
    url_name="assessment_submit",
    summary="Soumettre l'évaluation à l'agence",
)
def submit(request, assessment_id: UUID):
    assessment = company_object(request.auth, assessment_for_member, public_id=assessment_id)
    with audited_write(request) as actor:
        try:
            assessment_submit(assessment=assessment, actor=actor, api_key_name=request.auth.name)
        except AssessmentIncomplete as error:
            lines = [
                INCOMPLETE_ITEM.format(code=item["code"], reason=item["reason"]) for item in error.missing
            ]
            raise ValidationError(error.messages + lines) from error
    return _assessment_out(assessment)
