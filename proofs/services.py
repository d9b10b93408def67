"""Writes on proofs: deposits, withdrawals, submission, the reviewer's verdicts.

A proof is added while the assessment is editable (draft, or changes requested). The submission
freezes every proof in force (``frozen_at``); from then on they never change: a
replacement or a withdrawal is a new revision, the old row is kept and marked ``superseded_at``.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments import workflow
from assessments.models import Assessment, State
from assessments.selectors import answer_values, applicable_items, assessment_structure, missing_items
from proofs import blobs, filetypes, scan, selectors
from proofs.models import SENDS_BACK, Proof, Scan, Status
from proofs.uploads import megabytes
from questionnaires.models import ExpectedProof

NO_FILE = "Choisissez un fichier à déposer."
EMPTY_FILE = "Le fichier est vide : il n'a pas été enregistré."
TOO_LARGE = "Le fichier dépasse {size}, la taille maximale pour « {label} » : il n'a pas été enregistré."
BAD_FORMAT = (
    "Le fichier « {name} » n'a pas été enregistré : son contenu ({detected}) ne correspond à aucun des "
    "formats attendus pour « {label} » ({formats})."
)
INFECTED = "Le fichier « {name} » contient un virus ({signature}) : il n'a pas été enregistré."
SCAN_FAILED = (
    "L'analyse antivirus n'a pas pu être faite : le fichier n'a pas été enregistré, réessayez plus tard."
)
BAD_LINK = "Indiquez une adresse web complète, commençant par https://."
EMPTY_DESCRIPTION = "La description ne peut pas être vide."
TEXT_TOO_LONG = "Le texte dépasse {max} caractères."
FUTURE_DATE = "La date d'effet ne peut pas être postérieure à aujourd'hui."
WRONG_KIND = "La preuve « {label} » attend {kind}, pas autre chose."
TOO_MANY = "« {label} » accepte au plus {max} preuve(s) : retirez-en une avant d'en ajouter une autre."
NOT_APPLICABLE_ITEM = "L'exigence « {code} » ne s'applique pas à ce produit d'après la qualification."
OTHER_ITEM = "Cette preuve ne correspond pas à l'exigence."
ALREADY_REPLACED = "Cette preuve a déjà été remplacée ou retirée."
REVIEW_NOT_IN_REVIEW = "On ne vérifie les preuves que pendant l'instruction de l'évaluation."
REVIEW_REVIEWER_ONLY = "Seul un instructeur de l'agence peut vérifier une preuve."
REVIEW_NOT_ASSIGNED = (
    "Cette évaluation est instruite par un autre instructeur : seul celui-ci peut vérifier ses preuves."
)
REVIEW_NOT_CURRENT = "Cette preuve a été remplacée : vérifiez sa dernière révision."
REVIEW_UNKNOWN_STATUS = "Statut de vérification inconnu."
REVIEW_COMMENT_REQUIRED = "Un commentaire est obligatoire pour une preuve refusée ou partiellement vérifiée."
PROOFS_SEND_BACK = (
    "{count} preuve(s) sont refusées ou seulement partiellement vérifiées : demandez des compléments "
    "au lieu de valider."
)
SUBMIT_INCOMPLETE = "Il reste {count} exigence(s) applicable(s) sans réponse complète ou sans leurs preuves."
TEXT_MAX_LENGTH = 5000
KIND_WORDS = {"file": "un fichier", "link": "un lien", "description": "une description"}


def _lock(assessment: Assessment) -> Assessment:
    """The assessment's row, locked, with its state and reviewer as they are now."""
    return Assessment.objects.select_for_update(of=("self",)).select_related(None).get(pk=assessment.pk)


class ProofRefused(ValidationError):
    """The deposit was refused; nothing was kept (no row, no stored file)."""


# --- Deposits ------------------------------------------------------------------------------------------
def expected_for_item(
    *, assessment: Assessment, item_code: str, proof_code: str
) -> tuple[dict, ExpectedProof]:
    """The applicable item ``item_code`` and its expected proof ``proof_code``; ``ValidationError`` else."""
    item = assessment_structure(assessment).items_by_code.get(item_code)
    expected = (
        ExpectedProof.objects.filter(item_id=item["id"], code=proof_code).first()
        if item is not None
        else None
    )
    if expected is None:
        raise ValidationError(OTHER_ITEM)
    if item not in applicable_items(assessment):
        raise ValidationError(NOT_APPLICABLE_ITEM.format(code=item_code))
    return item, expected


@transaction.atomic
def proof_add_file(
    *, assessment: Assessment, expected: ExpectedProof, upload, effective_date: date, actor, replaces=None
) -> Proof:
    """Deposit a received file (``proofs.uploads``: hashed, size-checked while received): its type is
    checked from its content, it is scanned when an antivirus is configured, then stored by hash.
    Raises ``ProofRefused`` (French reason) and keeps nothing when any check fails."""
    _check_kind(expected, "file")
    if upload is None:
        raise ProofRefused(NO_FILE)
    if upload.size == 0:
        raise ProofRefused(EMPTY_FILE)
    if upload.size > expected.max_size:
        raise ProofRefused(TOO_LARGE.format(size=megabytes(expected.max_size), label=expected.label))
    matched = filetypes.matching_format(upload.head, is_text=upload.is_text, accepted=expected.formats)
    if matched is None:
        raise ProofRefused(
            BAD_FORMAT.format(
                name=upload.name,
                detected=filetypes.describe(upload.head, is_text=upload.is_text),
                label=expected.label,
                formats=", ".join(filetypes.label(code) for code in expected.formats),
            )
        )
    scanned = _scan(upload)
    assessment, previous = _prepare(assessment, expected, effective_date, replaces)
    name = blobs.blob_store(upload, sha256=upload.sha256)
    return _create(
        assessment,
        expected,
        previous,
        actor=actor,
        effective_date=effective_date,
        file=name,
        sha256=upload.sha256,
        size=upload.size,
        original_name=(upload.name or "fichier")[:255],
        file_format=matched[0],
        content_type=matched[1],
        scan=scanned,
    )


@transaction.atomic
def proof_add_link(
    *, assessment: Assessment, expected: ExpectedProof, url: str, effective_date: date, actor, replaces=None
) -> Proof:
    _check_kind(expected, "link")
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise ProofRefused(BAD_LINK) from None
    if len(url) > 2000:
        raise ProofRefused(BAD_LINK)
    assessment, previous = _prepare(assessment, expected, effective_date, replaces)
    return _create(
        assessment,
        expected,
        previous,
        actor=actor,
        effective_date=effective_date,
        url=url,
        scan=Scan.NOT_APPLICABLE,
    )


@transaction.atomic
def proof_add_description(
    *, assessment: Assessment, expected: ExpectedProof, text: str, effective_date: date, actor, replaces=None
) -> Proof:
    _check_kind(expected, "description")
    text = (text or "").strip()
    if not text:
        raise ProofRefused(EMPTY_DESCRIPTION)
    if len(text) > TEXT_MAX_LENGTH or not assessment_services.storable_text(text):
        raise ProofRefused(TEXT_TOO_LONG.format(max=TEXT_MAX_LENGTH))
    assessment, previous = _prepare(assessment, expected, effective_date, replaces)
    return _create(
        assessment,
        expected,
        previous,
        actor=actor,
        effective_date=effective_date,
        description=text,
        scan=Scan.NOT_APPLICABLE,
    )


@transaction.atomic
def proof_withdraw(*, proof: Proof, actor) -> None:
    """Withdraw a proof: a draft one is deleted (its file too when nothing else uses it); a submitted
    one stays, marked as withdrawn, with the submission it belonged to."""
    assessment = _lock(proof.assessment)
    assessment_services.ensure_editable(assessment)
    proof = Proof.objects.select_for_update().get(pk=proof.pk)
    if not proof.is_current:
        raise ValidationError(ALREADY_REPLACED)
    if proof.frozen_at is not None:
        Proof.objects.filter(pk=proof.pk).update(superseded_at=timezone.now())
        return
    name = proof.file.name
    proof.delete()
    if name and not Proof.objects.filter(file=name).exists():
        transaction.on_commit(lambda: blobs.default_storage.delete(name))


def _check_kind(expected: ExpectedProof, kind: str) -> None:
    if expected.kind != kind:
        raise ProofRefused(WRONG_KIND.format(label=expected.label, kind=KIND_WORDS[expected.kind]))


def _scan(upload) -> str:
    try:
        return scan.scan_file(upload.temporary_file_path())
    except scan.Infected as infected:
        raise ProofRefused(INFECTED.format(name=upload.name, signature=infected.signature)) from None
    except scan.ScanFailed:
        raise ProofRefused(SCAN_FAILED) from None


def _prepare(assessment, expected, effective_date, replaces) -> tuple[Assessment, Proof | None]:
    """Lock the assessment, check it is editable, the date, the count, and the proof replaced."""
    if effective_date > timezone.localdate():
        raise ProofRefused(FUTURE_DATE)
    assessment = _lock(assessment)
    assessment_services.ensure_editable(assessment)
    previous = None
    if replaces is not None:
        previous = Proof.objects.select_for_update().filter(pk=replaces.pk, assessment=assessment).first()
        if previous is None or previous.expected_id != expected.pk:
            raise ProofRefused(OTHER_ITEM)
        if not previous.is_current:
            raise ProofRefused(ALREADY_REPLACED)
    current = Proof.objects.filter(
        assessment=assessment, expected=expected, superseded_at__isnull=True
    ).count()
    if current - (previous is not None) >= expected.max_count:
        raise ProofRefused(TOO_MANY.format(label=expected.label, max=expected.max_count))
    return assessment, previous


def _create(assessment, expected, previous, *, actor, effective_date, **content) -> Proof:
    if previous is not None and previous.frozen_at is None:
        # A draft proof replaced before any submission: nothing to keep.
        previous.delete()
        previous = None
    if previous is not None:
        Proof.objects.filter(pk=previous.pk).update(superseded_at=timezone.now())
    return Proof.objects.create(
        assessment=assessment,
        item_id=expected.item_id,
        expected=expected,
        kind=expected.kind,
        effective_date=effective_date,
        uploaded_by=actor,
        supersedes=previous,
        revision=previous.revision + 1 if previous else 1,
        **content,
    )


# --- Submission --------------------------------------------------------------------------------------------
@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, actor, candidature: bool = False, api_key_name: str = ""
) -> Assessment:
    """Submit with the proofs: refused (``AssessmentIncomplete``, the items with their links) while an
    item lacks its answer (a sworn declaration included, see ``assessments.services``) or a required
    proof. Then every proof in force is frozen with the submission. Every submission goes through
    here (pages, API, candidatures): ``assessments.services.assessment_submit`` alone knows nothing of
    proofs. ``candidature`` and ``api_key_name``: as in ``assessments.services.assessment_submit``."""
    workflow.check(assessment=_lock(assessment), to=State.SUBMITTED, actor=actor, candidature=candidature)
    values = answer_values(assessment)
    missing = missing_items(assessment, values) + selectors.missing_proofs(assessment, values)
    missing += assessment_services.answer_gaps(assessment)
    if missing:
        raise _incomplete(missing, assessment)
    assessment_services.assessment_submit(
        assessment=assessment, actor=actor, candidature=candidature, api_key_name=api_key_name
    )
    now = assessment.submitted_at or timezone.now()
    Proof.objects.filter(assessment=assessment, frozen_at__isnull=True).update(frozen_at=now)
    return assessment


def _incomplete(missing: list[dict], assessment) -> assessment_services.AssessmentIncomplete:
    """One entry per item (answer and proofs together), in questionnaire order."""
    order = {item["code"]: index for index, item in enumerate(assessment_structure(assessment).items)}
    merged: dict[str, dict] = {}
    for entry in missing:
        if entry["code"] in merged:
            merged[entry["code"]]["reason"] += f" ; {entry['reason']}"
            merged[entry["code"]]["proofs"] = merged[entry["code"]].get("proofs") or entry.get(
                "proofs", False
            )
        else:
            merged[entry["code"]] = dict(entry)
    error = assessment_services.AssessmentIncomplete(sorted(merged.values(), key=lambda e: order[e["code"]]))
    if any(entry.get("proofs") for entry in missing):
        error.message = SUBMIT_INCOMPLETE.format(count=len(merged))
    return error


# --- Review -------------------------------------------------------------------------------------------------
@transaction.atomic
def proof_review(*, proof: Proof, status: str, comment: str, actor) -> Proof:
    """The reviewer's verdict on a proof in force: à vérifier, vérifiée, partiellement vérifiée or
    refusée (the last two need a comment, and send the item back: the decision must then be a
    request for changes, see ``ensure_proofs_accepted``). The vendor sees it once sent back."""
    comment = (comment or "").strip()
    if status not in Status.values:
        raise ValidationError(REVIEW_UNKNOWN_STATUS)
    if status in SENDS_BACK and not comment:
        raise ValidationError(REVIEW_COMMENT_REQUIRED)
    if len(comment) > TEXT_MAX_LENGTH or not assessment_services.storable_text(comment):
        raise ValidationError(TEXT_TOO_LONG.format(max=TEXT_MAX_LENGTH))
    if not getattr(actor, "is_reviewer", False):
        raise ValidationError(REVIEW_REVIEWER_ONLY)
    assessment = _lock(proof.assessment)
    if assessment.state != State.IN_REVIEW:
        raise ValidationError(REVIEW_NOT_IN_REVIEW)
    if assessment.reviewer_id != actor.pk:
        raise ValidationError(REVIEW_NOT_ASSIGNED)
    proof = Proof.objects.select_for_update().get(pk=proof.pk)
    if not proof.is_current:
        raise ValidationError(REVIEW_NOT_CURRENT)
    proof.status, proof.review_comment = status, comment
    proof.reviewed_by, proof.reviewed_at = actor, timezone.now()
    proof.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    return proof


def sent_back_proofs(assessment: Assessment):
    return Proof.objects.filter(assessment=assessment, superseded_at__isnull=True, status__in=SENDS_BACK)


def ensure_proofs_accepted(assessment: Assessment) -> None:
    """Validation is refused while a proof in force is refused or partly verified."""
    if count := sent_back_proofs(assessment).count():
        raise ValidationError(PROOFS_SEND_BACK.format(count=count))
