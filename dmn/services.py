"""Writes on DMN candidatures: create (or tell that the generic path does not apply), submit, take,
decide, and start again for a new device version.

The answering, proofs and instruction of each questionnaire are the assessments' own services; a
candidature only aggregates them: its submission submits each of its assessments still editable (one
transaction: all or nothing), its decision applies the same decision to each assessment in review.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import services as assessment_services
from assessments.models import CLOSED_STATES, Assessment, State
from dmn import workflow
from dmn.certification import candidature_certify
from dmn.models import (
    LINE_QUESTIONNAIRES,
    REFERENTIAL,
    Candidature,
    CandidatureLine,
    Capacity,
    DeviceCapacity,
    Grouping,
    Line,
)
from instruction.services import review_comments_publish
from proofs import services as proof_services
from proofs.models import Proof
from proofs.services import ensure_proofs_accepted
from questionnaires.models import ExpectedProof, QuestionnaireVersion
from questionnaires.selectors import published_version

OUTSIDE_LINES = (
    "Le parcours « ligne générique » ne concerne que les dispositifs de télésurveillance du diabète, "
    "de l'insuffisance rénale chronique, de l'insuffisance respiratoire chronique, de l'insuffisance "
    "cardiaque chronique et des prothèses cardiaques implantables. Il ne s'applique donc pas à votre "
    "dispositif, qui peut être référencé sous son nom de marque : aucune candidature n'a été créée."
)
OPERATOR_ONLY = (
    "Seul l'exploitant du dispositif peut déposer une candidature : un fabricant ou un distributeur "
    "qui ne l'exploite pas ne le peut pas."
)
NO_LINE = "Choisissez au moins une ligne générique."
UNKNOWN_LINE = "Ligne générique inconnue : « {line} »."
DUPLICATE_LINE = "Chaque ligne ne se choisit qu'une fois."
UNKNOWN_DECISION = "Décision inconnue."
UNKNOWN_GROUPING = "Choisissez une candidature pour toutes les lignes, ou une candidature par ligne."
LINE_ALREADY_OPEN = "Une candidature est déjà en cours pour la ligne « {line} » de cette version."
NOT_PUBLISHED = "Le référentiel DMN n'est pas encore publié : la candidature ne peut pas être créée."
INCOMPLETE = "« {questionnaire} » : {count} exigence(s) sans réponse complète ou sans preuve."
NOT_EDITABLE = "La candidature n'est plus modifiable (état « {state} »)."
REFERENTIAL_NOT_READY = (
    "Le référentiel de cette version est instruit avec une autre candidature et n'est pas encore "
    "validé : décidez d'abord de celle-ci."
)
RENEW_OTHER_PRODUCT = "La nouvelle version doit être une version du même produit."
RENEW_SAME_VERSION = "Choisissez une autre version du produit que celle de la candidature reprise."
RENEW_LINES = "Les lignes reprises doivent être des lignes de la candidature d'origine."
RENEW_ALL_LINES = (
    "Cette candidature couvre toutes ses lignes sous un seul certificat : la nouvelle version les "
    "reprend toutes. Pour ne soumettre à nouveau que les lignes modifiées, déposez une candidature par ligne."
)


class OutsideLines(ValidationError):
    """The device's pathology is none of the generic lines: no candidature, the plain explanation."""


class Decision:
    VALIDATE = "valider"
    REQUEST_CHANGES = "complements"
    REFUSE = "refuser"
    CHOICES = {VALIDATE: State.VALIDATED, REQUEST_CHANGES: State.CHANGES_REQUESTED, REFUSE: State.REFUSED}


@dataclass
class Renewal:
    candidatures: list[Candidature]
    carried_proofs: int


# --- Create --------------------------------------------------------------------------------------------
@transaction.atomic
def candidature_create(
    *, product_version, lines: list[str], grouping: str, capacity: str, outside: bool = False, actor
) -> list[Candidature]:
    """The candidature(s) of ``product_version`` for ``lines``: one for all of them, or one per line.

    Raises ``OutsideLines`` when the device's pathology is outside the generic lines (``outside`` and
    no line), ``ValidationError`` unless the company declares itself the device's operator, for no or
    an unknown line, or when a line already has an open candidature for this version. The capacity is
    recorded on the product. The candidatures of a version share one assessment of the referential
    (the open one, else the validated one, else a new draft).
    """
    if outside and not lines:
        raise OutsideLines(OUTSIDE_LINES)
    _check_lines(lines)
    if grouping not in Grouping.values:
        raise ValidationError(UNKNOWN_GROUPING)
    capacity_declare(product=product_version.product, capacity=capacity, actor=actor)
    if capacity != Capacity.OPERATOR:
        raise ValidationError(OPERATOR_ONLY)
    referential = _referential_for(product_version, actor=actor)
    groups = [lines] if grouping == Grouping.TOGETHER else [[line] for line in lines]
    return [
        _candidature(product_version, group, grouping=grouping, referential=referential, actor=actor)
        for group in groups
    ]


def capacity_declare(*, product, capacity: str, actor) -> DeviceCapacity:
    declared, _ = DeviceCapacity.objects.update_or_create(
        product=product, defaults={"capacity": capacity, "declared_by": actor}
    )
    return declared


def _check_lines(lines: list[str]) -> None:
    if not lines:
        raise ValidationError(NO_LINE)
    for line in lines:
        if line not in Line.values:
            raise ValidationError(UNKNOWN_LINE.format(line=line))
    if len(set(lines)) != len(lines):
        raise ValidationError(DUPLICATE_LINE)


def _published(code: str) -> QuestionnaireVersion:
    try:
        return published_version(code)
    except QuestionnaireVersion.DoesNotExist as error:
        raise ValidationError(NOT_PUBLISHED) from error


def _referential_for(product_version, *, actor, carry_from: Assessment | None = None) -> Assessment:
    existing = (
        Assessment.objects.filter(
            product_version=product_version, questionnaire_version__questionnaire__code=REFERENTIAL
        )
        .exclude(state=State.REFUSED)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    return assessment_services.assessment_start(
        product_version=product_version,
        questionnaire_version=_published(REFERENTIAL),
        carry_from=carry_from,
        actor=actor,
        candidature=True,
    )


def _candidature(
    product_version, lines, *, grouping, referential, actor, carried_from=None, sources=None
) -> Candidature:
    candidature = Candidature.objects.create(
        product_version=product_version,
        grouping=grouping,
        referential=referential,
        created_by=actor,
        carried_from=carried_from,
    )
    for line in lines:
        try:
            with transaction.atomic():
                assessment = assessment_services.assessment_start(
                    product_version=product_version,
                    questionnaire_version=_published(LINE_QUESTIONNAIRES[line]),
                    carry_from=(sources or {}).get(line),
                    actor=actor,
                    candidature=True,
                )
        except ValidationError as error:
            if error.messages == [assessment_services.ALREADY_OPEN]:
                raise ValidationError(LINE_ALREADY_OPEN.format(line=Line(line).label)) from error
            raise
        CandidatureLine.objects.create(candidature=candidature, line=line, assessment=assessment)
    return candidature


def candidature_assessments(candidature: Candidature) -> list[Assessment]:
    """The referential's assessment, then each line's, in line order (2 queries)."""
    rows = CandidatureLine.objects.filter(candidature=candidature).select_related("assessment")
    return [Assessment.objects.get(pk=candidature.referential_id), *(row.assessment for row in rows)]


# --- Submit --------------------------------------------------------------------------------------------
@transaction.atomic
def candidature_submit(*, candidature: Candidature, actor) -> Candidature:
    """Submit every assessment of the candidature still editable, with its proofs, then the candidature.

    All or nothing: one incomplete questionnaire (answer, sworn declaration or proof missing) refuses
    the whole submission, with one message per incomplete questionnaire. A referential already at the
    agency or validated (shared with a candidature for another line) is left as it is: only what was
    sent back or never submitted goes again.
    """
    candidature = _lock(candidature)
    if reason := workflow.refusal(candidature=candidature, to=State.SUBMITTED, actor=actor):
        raise ValidationError(reason)
    errors = []
    for assessment in candidature_assessments(candidature):
        if not assessment.is_editable:
            continue
        try:
            with transaction.atomic():
                proof_services.assessment_submit(assessment=assessment, actor=actor, candidature=True)
        except assessment_services.AssessmentIncomplete as error:
            title = assessment.questionnaire_version.questionnaire.title
            errors.append(INCOMPLETE.format(questionnaire=title, count=len(error.missing)))
    if errors:
        raise ValidationError(errors)
    return workflow.transition(candidature=candidature, to=State.SUBMITTED, actor=actor)


# --- Review --------------------------------------------------------------------------------------------
@transaction.atomic
def candidature_take(*, candidature: Candidature, actor) -> Candidature:
    """A reviewer takes the candidature, and each of its submitted assessments, in review."""
    candidature = _lock(candidature)
    workflow.transition(candidature=candidature, to=State.IN_REVIEW, actor=actor)
    for assessment in candidature_assessments(candidature):
        if assessment.state == State.SUBMITTED:
            assessment_services.assessment_take(assessment=assessment, actor=actor, candidature=True)
    return candidature


@transaction.atomic
def candidature_decide(*, candidature: Candidature, decision: str, actor, comment: str = "") -> Candidature:
    """Apply the reviewer's decision to the candidature and to each of its assessments in review.

    Valider: every proof must be accepted (``ensure_proofs_accepted``) and the referential validated
    or in review by this reviewer; then the candidature's one certificate of conformity, covering all
    its lines, is issued and rendered once the transaction commits (``dmn.certification``): never for
    a partly validated candidature, since any refusal rolls the whole decision back. Compléments or
    refuser: a comment is required, the reviewer's comments are published to the vendor. Raises
    ``ValidationError``; nothing is written then.
    """
    if decision not in Decision.CHOICES:
        raise ValidationError(UNKNOWN_DECISION)
    candidature = _lock(candidature)
    target = Decision.CHOICES[decision]
    workflow.transition(candidature=candidature, to=target, actor=actor, comment=comment)
    for assessment in candidature_assessments(candidature):
        _decide_assessment(assessment, decision=decision, actor=actor, comment=comment)
    if decision == Decision.VALIDATE:
        candidature_certify(candidature=candidature, actor=actor)
    return candidature


def _decide_assessment(assessment: Assessment, *, decision: str, actor, comment: str) -> None:
    if assessment.state != State.IN_REVIEW:
        if decision == Decision.VALIDATE and assessment.state != State.VALIDATED:
            raise ValidationError(REFERENTIAL_NOT_READY)
        return
    if decision == Decision.VALIDATE:
        ensure_proofs_accepted(assessment)
        assessment_services.assessment_validate(
            assessment=assessment, actor=actor, comment=comment, candidature=True
        )
        return
    if decision == Decision.REQUEST_CHANGES:
        assessment_services.assessment_request_changes(
            assessment=assessment, actor=actor, comment=comment, candidature=True
        )
    else:
        assessment_services.assessment_refuse(
            assessment=assessment, actor=actor, comment=comment, candidature=True
        )
    review_comments_publish(assessment=assessment)


def _lock(candidature: Candidature) -> Candidature:
    fresh = Candidature.objects.select_for_update().get(pk=candidature.pk)
    for name in ("state", "reviewer_id", "referential_id"):
        setattr(candidature, name, getattr(fresh, name))
    return candidature


# --- New device version --------------------------------------------------------------------------------
@transaction.atomic
def candidature_renew(
    *, previous: Candidature, product_version, lines: list[str] | None = None, actor
) -> Renewal:
    """Start the candidature of a new version of the device from ``previous``: its referential and line
    answers are carried (``assessment_start(carry_from=...)``), its proofs in force copied, to check
    again; the new candidature names the one it continues, so the reviewer sees it is a renewal.

    ``lines``: for a candidature filed one per line, the impacted line(s) only (a subset of its lines);
    a candidature for several lines under one certificate is renewed whole.
    """
    if product_version.product_id != previous.product_version.product_id:
        raise ValidationError(RENEW_OTHER_PRODUCT)
    if product_version.pk == previous.product_version_id:
        raise ValidationError(RENEW_SAME_VERSION)
    sources = {row.line: row.assessment for row in previous.lines.select_related("assessment")}
    lines = list(sources) if lines is None else lines
    if not lines or not set(lines) <= set(sources):
        raise ValidationError(RENEW_LINES)
    if previous.grouping == Grouping.TOGETHER and set(lines) != set(sources):
        raise ValidationError(RENEW_ALL_LINES)
    referential = _referential_for(product_version, actor=actor, carry_from=previous.referential)
    candidature = _candidature(
        product_version,
        lines,
        grouping=previous.grouping,
        referential=referential,
        actor=actor,
        carried_from=previous,
        sources=sources,
    )
    carried = 0
    if referential.carried_from_id == previous.referential_id and not referential.proofs.exists():
        carried += _carry_proofs(previous.referential, referential, actor=actor)
    for row in candidature.lines.select_related("assessment"):
        carried += _carry_proofs(sources[row.line], row.assessment, actor=actor)
    return Renewal(candidatures=[candidature], carried_proofs=carried)


def _carry_proofs(source: Assessment, target: Assessment, *, actor) -> int:
    """Copy ``source``'s proofs in force to ``target`` for the expected proofs of the same item and
    code; the copies are new, unfrozen, "à vérifier" (a stored file is shared, never duplicated)."""
    expected = {
        (proof.item.code, proof.code): proof
        for proof in ExpectedProof.objects.filter(
            item__version_id=target.questionnaire_version_id
        ).select_related("item")
    }
    copies = []
    for proof in Proof.objects.filter(assessment=source, superseded_at__isnull=True).select_related(
        "item", "expected"
    ):
        target_expected = expected.get((proof.item.code, proof.expected.code))
        if target_expected is None:
            continue
        copies.append(
            Proof(
                assessment=target,
                item_id=target_expected.item_id,
                expected=target_expected,
                kind=proof.kind,
                file=proof.file.name,
                sha256=proof.sha256,
                size=proof.size,
                original_name=proof.original_name,
                file_format=proof.file_format,
                content_type=proof.content_type,
                url=proof.url,
                description=proof.description,
                effective_date=proof.effective_date,
                uploaded_by=actor,
                scan=proof.scan,
            )
        )
    Proof.objects.bulk_create(copies)
    return len(copies)


def open_lines(product_version) -> set[str]:
    """The lines of ``product_version`` with a candidature not closed."""
    return set(
        CandidatureLine.objects.filter(candidature__product_version=product_version)
        .exclude(candidature__state__in=CLOSED_STATES)
        .values_list("line", flat=True)
    )
