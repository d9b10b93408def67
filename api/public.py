"""Public, read-only operations: the catalogue, the verification of a document, the published
referentials and the DMP profile evaluation of an interchange document. No key needed."""

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from api.fields import Text
from api.problems import responses
from assessments.interchange import document_levels, questionnaire_reference, validate_document
from assessments.services import DECLARANT_MAX_LENGTH, parse_document
from catalogue.selectors import CatalogueFilters, catalogue_rows, entries
from certificates.codes import format_code
from certificates.models import Certificate
from certificates.selectors import certificate_by_code
from questionnaires.models import QuestionnaireVersion
from questionnaires.profiles import evaluate
from questionnaires.selectors import published_version, version_definition

router = Router(tags=["Public"])

BAD_CURSOR = "Curseur invalide : reprenez le « next_cursor » d'une réponse précédente."
UNKNOWN_CODE = "Aucun document ne correspond à ce code de vérification."
UNKNOWN_REFERENTIAL = "Aucune version publiée « {code} v{number} »."
INVALID_DOCUMENT = "Le document d'échange n'est pas valide : voir « errors »."
# One answer of the document: keys and rules as assessments/interchange.py checks them.
INTERCHANGE_ANSWER = {
    "type": "object",
    "required": ["level"],
    "additionalProperties": False,
    "properties": {
        "level": {"type": "string", "description": "code de niveau de l'échelle, ou « na »"},
        "justification": {
            "type": "string",
            "description": "obligatoire pour « na » ; texte d'une déclaration",
        },
        "comment": {"type": "string"},
        "declarant": {
            "type": "string",
            "maxLength": DECLARANT_MAX_LENGTH,
            "description": "déclaration sur l'honneur : nom et prénom du déclarant",
        },
        "declarant_role": {
            "type": "string",
            "maxLength": DECLARANT_MAX_LENGTH,
            "description": "déclaration sur l'honneur : qualité du déclarant",
        },
        "declared_on": {
            "type": "string",
            "format": "date",
            "description": "déclaration sur l'honneur : date AAAA-MM-JJ, pas dans le futur",
        },
        "to_review": {
            "type": "boolean",
            "description": "« à revoir » : réponse reprise d'une version précédente, à confirmer ; "
            "une réponse importée sans cette clé est confirmée",
        },
    },
}
INTERCHANGE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "Document d'échange d'une auto-évaluation (assessments/INTERCHANGE.md).",
                "required": ["questionnaire", "qualification", "answers"],
                "properties": {
                    "questionnaire": {
                        "type": "object",
                        "required": ["code", "version"],
                        "properties": {
                            "code": {"type": "string"},
                            "version": {"type": "integer", "minimum": 1},
                        },
                    },
                    "qualification": {"type": "object"},
                    "answers": {
                        "type": "object",
                        "description": "réponses par code d'exigence (assessments/INTERCHANGE.md)",
                        "additionalProperties": INTERCHANGE_ANSWER,
                    },
                    "meta": {"type": "object"},
                },
            }
        }
    },
}


class Referential(Schema):
    code: str
    title: str
    version: str


class CertifiedLine(Schema):
    code: str = Field(description="code de la ligne générique (valeur du filtre « ligne »)")
    label: str
    specifications: Referential = Field(description="spécifications techniques de la ligne et leur version")


class CatalogueItem(Schema):
    document_kind: str = Field(
        description="« attestation » (auto-évaluation) ou « conformite » (certificat de conformité DMN)"
    )
    verification_code: str
    verification_url: str
    product_id: UUID
    product_name: str = Field(description="[Produit] [Système] [Support], tel que le document le nomme")
    company_id: UUID
    company_name: str
    company_siren: str
    version: str
    referential: Referential
    profiles_reached: list[str] = Field(description="codes des profils DMP atteints")
    lines: list[CertifiedLine] = Field(
        description="lignes génériques que couvre un certificat de conformité ; vide pour une attestation"
    )
    issued_at: datetime


class CataloguePage(Schema):
    items: list[CatalogueItem]
    next_cursor: str | None = Field(
        description="à passer en « cursor » pour la page suivante ; null à la fin"
    )


class CatalogueQuery(Schema):
    recherche: Text = Field(
        "", max_length=150, description="mots cherchés, accents et majuscules indifférents"
    )
    profil: Text = Field("", max_length=50, description="code d'un profil DMP atteint")
    questionnaire: Text = Field("", max_length=50, description="code d'un référentiel")
    ligne: Text = Field(
        "",
        max_length=50,
        description=(
            "code d'une ligne générique DMN (diabete, renal, respiratoire, cardiaque, protheses) : "
            "les certificats de conformité qui la couvrent"
        ),
    )
    entreprise: UUID | None = Field(None, description="identifiant d'une entreprise")
    cursor: Text = Field("", max_length=200)
    limit: int = Field(50, ge=1, le=100)


def _encode_cursor(issued_at: datetime, code: str) -> str:
    raw = json.dumps([issued_at.isoformat(), code]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple | None:
    if not cursor:
        return None
    try:
        issued_at, code = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(issued_at), str(code)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise HttpError(400, BAD_CURSOR) from error


@router.get(
    "/catalogue",
    response={200: CataloguePage, **responses(400, 422, 429)},
    url_name="catalogue",
    summary="Produits attestés ou certifiés (catalogue public)",
)
def catalogue(request, query: Query[CatalogueQuery]):
    """The valid documents, newest first, with the catalogue's filters; cursor pagination."""
    filters = CatalogueFilters(
        search=query.recherche,
        profile=query.profil,
        questionnaire=query.questionnaire,
        company=str(query.entreprise or ""),
        line=query.ligne,
        after=_decode_cursor(query.cursor),
    )
    rows = entries(catalogue_rows(filters)[: query.limit + 1])
    page, more = rows[: query.limit], len(rows) > query.limit
    items = [
        CatalogueItem(
            document_kind=entry.document_kind,
            verification_code=entry.display_code,
            verification_url=request.build_absolute_uri(entry.verify_path),
            product_id=entry.product_public_id,
            product_name=entry.product_name,
            company_id=entry.company_public_id,
            company_name=entry.company_name,
            company_siren=entry.company_siren,
            version=entry.version_label,
            referential=Referential(
                code=entry.referential_code, title=entry.referential_title, version=entry.referential_version
            ),
            profiles_reached=sorted(code for code, p in (entry.profiles or {}).items() if p.get("reached")),
            lines=certified_lines(entry.lines),
            issued_at=entry.issued_at,
        )
        for entry in page
    ]
    cursor = _encode_cursor(page[-1].issued_at, page[-1].verification_code) if more else None
    return {"items": items, "next_cursor": cursor}


def certified_lines(lines: list | None) -> list[CertifiedLine]:
    """The lines a certificate of conformity states (its labels and specifications, nothing else)."""
    return [
        CertifiedLine(
            code=line["code"],
            label=line["label"],
            specifications=Referential(
                code=line["questionnaire"]["code"],
                title=line["questionnaire"]["title"],
                version=str(line["questionnaire"]["version"]),
            ),
        )
        for line in lines or ()
    ]


class Verification(Schema):
    code: str
    kind: str
    status: str = Field(description="« valide », « revoque » ou « document_de_travail »")
    revoked_at: datetime | None
    revocation_reason: str
    company_name: str
    company_siren: str
    product_name: str
    version: str
    referential: Referential
    profiles_reached: list[str]
    lines: list[CertifiedLine] = Field(description="lignes génériques certifiées (certificat de conformité)")
    validated_at: str | None
    issued_at: datetime | None


@router.get(
    "/verification/{code}",
    response={200: Verification, **responses(404, 422, 429)},
    url_name="verification",
    summary="Vérifier un document par son code",
)
def verification(request, code: Annotated[Text, Path(max_length=64)]):
    """What a document states and whether it is still valid (as the public verification page)."""
    certificate = certificate_by_code(code)
    if certificate is None or certificate.status != Certificate.Status.READY:
        raise HttpError(404, UNKNOWN_CODE)
    snapshot = certificate.snapshot
    status = (
        "revoque" if certificate.is_revoked else ("document_de_travail" if certificate.is_draft else "valide")
    )
    questionnaire = snapshot["questionnaire"]
    return Verification(
        code=format_code(certificate.code),
        kind=certificate.kind,
        status=status,
        revoked_at=certificate.revoked_at,
        revocation_reason=certificate.revocation_reason,
        company_name=snapshot["company"]["name"],
        company_siren=snapshot["company"]["siren"],
        product_name=snapshot["product"]["display_name"],
        version=snapshot["version"]["label"],
        referential=Referential(
            code=questionnaire["code"], title=questionnaire["title"], version=str(questionnaire["version"])
        ),
        profiles_reached=sorted(c for c, p in snapshot["profiles"].items() if p.get("reached")),
        lines=certified_lines(snapshot.get("lines")),
        validated_at=snapshot.get("validated_at"),
        issued_at=certificate.rendered_at,
    )


class ReferentialSummary(Schema):
    code: str
    title: str
    theme: str
    version: int
    published_at: datetime | None
    url: str


@router.get(
    "/referentiels",
    response={200: list[ReferentialSummary], **responses(429)},
    url_name="referentials",
    summary="Référentiels publiés",
)
def referentials(request):
    versions = (
        QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        .select_related("questionnaire")
        .order_by("questionnaire__code", "number")
    )
    return [
        ReferentialSummary(
            code=version.questionnaire.code,
            title=version.questionnaire.title,
            theme=version.questionnaire.theme,
            version=version.number,
            published_at=version.published_at,
            url=request.build_absolute_uri(
                reverse(
                    "api:referential", kwargs={"code": version.questionnaire.code, "number": version.number}
                )
            ),
        )
        for version in versions
    ]


class ReferentialDetail(Schema):
    questionnaire: dict[str, Any]
    version: int
    levels: list[dict[str, Any]]
    qualification_questions: list[dict[str, Any]]
    sections: list[dict[str, Any]]
    profile_rules: dict[str, Any]


@router.get(
    "/referentiels/{code}/{number}",
    response={200: ReferentialDetail, **responses(404, 422, 429)},
    url_name="referential",
    summary="Un référentiel publié, règles des profils comprises",
)
def referential(
    request, code: Annotated[Text, Path(max_length=50)], number: int = Path(..., ge=1, le=10_000)
):
    """The same content as the published YAML file: levels, qualification questions, sections and
    items (with their applicability), and the DMP profile rules."""
    try:
        version = published_version(code, number)
    except QuestionnaireVersion.DoesNotExist as error:
        raise HttpError(404, UNKNOWN_REFERENTIAL.format(code=code, number=number)) from error
    definition = version_definition(version.pk)
    return {
        "questionnaire": definition["questionnaire"],
        "version": definition["number"],
        "levels": [dict(level) for level in definition["levels"]],
        "qualification_questions": definition["qualification_questions"],
        "sections": [
            {
                "code": section["code"],
                "title": section["title"],
                "items": [
                    {k: v for k, v in item.items() if k not in ("id", "section")} for item in section["items"]
                ],
            }
            for section in definition["sections"]
        ],
        "profile_rules": definition["profile_rules"],
    }


class ProfileResult(Schema):
    reached: bool
    missing: list[str]
    met: int
    total: int


class Evaluation(Schema):
    profiles: dict[str, ProfileResult]


def definition_for(document) -> dict:
    """The definition of the published version a document names; ``ValidationError`` otherwise."""
    reference, errors = questionnaire_reference(document)
    if reference is None:
        raise ValidationError(errors)
    try:
        return version_definition(published_version(*reference).pk)
    except QuestionnaireVersion.DoesNotExist as error:
        raise ValidationError([UNKNOWN_REFERENTIAL.format(code=reference[0], number=reference[1])]) from error


@router.post(
    "/profils/evaluation",
    response={200: Evaluation, **responses(413, 422, 429)},
    url_name="profiles_evaluation",
    summary="Calculer les profils DMP d'un document d'échange",
    openapi_extra={"requestBody": INTERCHANGE_BODY},
)
def profiles_evaluation(request):
    """The DMP-compatibility profiles of an interchange document, as ``manage.py evaluate_profiles``
    computes them; nothing is stored. An invalid document answers 422 with every problem."""
    document = parse_document(request.body)
    definition = definition_for(document)
    if errors := validate_document(document, definition):
        raise ValidationError(errors)
    qualification, levels = document_levels(document)
    results = evaluate(definition["profile_rules"], qualification, levels, definition["level_ranks"])
    return {"profiles": {code: result.as_dict() for code, result in results.items()}}
