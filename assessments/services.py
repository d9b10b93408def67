"""Writes on assessments: start, qualification, answers (item by item), submission, review decisions.

Every function is atomic and keyword-only. Profiles are recomputed in the same transaction as any
change of answers or qualification. State changes go through ``assessments.workflow``.

Concurrency: a write locks the assessment row first (``SELECT … FOR UPDATE``), so answer saves of one
assessment are serialised: the profile recomputation always sees every committed answer, and a save
never slips in after a submission. Two people saving the same item are told apart by ``revision``.
"""

import json
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from assessments import interchange, workflow
from assessments.models import CLOSED_STATES, Answer, Assessment, Qualification, State, Submission
from assessments.selectors import (
    answer_values,
    assessment_identity,
    assessment_structure,
    assessment_with_identity,
    missing_items,
    profile_levels,
    structure,
)
from questionnaires import profiles
from questionnaires.models import NA_LEVEL, Questionnaire, QuestionnaireVersion
from questionnaires.selectors import published_version

TEXT_MAX_LENGTH = 5000
LOCK_OUTSIDE_TRANSACTION = "answer_save(locked=True) must run in the transaction that locked the assessment."

NOT_EDITABLE = "L'évaluation est « {state} » : ses réponses ne peuvent plus être modifiées."
UNKNOWN_ITEM = "L'exigence « {code} » n'existe pas dans ce questionnaire."
ITEM_NOT_APPLICABLE = "L'exigence « {code} » ne s'applique pas à ce produit d'après la qualification."
UNKNOWN_LEVEL = "Niveau « {level} » inconnu : choisissez un niveau de l'échelle."
NA_FORBIDDEN = "« Non applicable » n'est pas possible pour l'exigence « {code} »."
TEXT_TOO_LONG = "Le texte « {field} » dépasse {max} caractères."
TEXT_FORBIDDEN_CHARACTER = (
    "Le texte « {field} » contient un caractère nul ou invalide : retirez-le avant d'enregistrer."
)
DMN_OUTSIDE_CANDIDATURE = (
    "Ce référentiel de dispositif médical numérique se remplit dans une candidature DMN, pas comme "
    "une auto-évaluation."
)
QUESTIONNAIRE_NOT_PUBLISHED = (
    "Seule une version publiée d'un questionnaire peut être utilisée pour une évaluation."
)
ALREADY_OPEN = "Une évaluation de ce questionnaire est déjà en cours pour cette version du produit."
CARRY_OTHER_PRODUCT = "On ne peut reprendre que les réponses d'une évaluation du même produit."
UNKNOWN_QUESTION = "Question de qualification « {code} » inconnue."
QUESTION_UNANSWERED = "Répondez à la question « {text} »."
BAD_CHOICE = "Réponse « {value} » invalide pour la question « {text} »."
QUALIFICATION_UNDER_REVIEW = (
    "Une évaluation de cette version du produit est à l'agence : la qualification, commune à toutes "
    "ses évaluations, ne peut pas changer avant sa décision ou son renvoi pour compléments."
)
ASSESSMENT_INCOMPLETE = "Il reste {count} exigence(s) applicable(s) sans réponse complète."
NA_CONDITION_UNMET = "« Non applicable » n'est possible pour l'exigence « {code} » que si : {condition}."
DECLARATION_ONLY = (
    "L'exigence « {code} » se remplit par une déclaration sur l'honneur d'après la qualification : "
    "choisissez « non applicable » et complétez la déclaration."
)
DECLARANT_TOO_LONG = "Le nom ou la qualité du déclarant dépasse {max} caractères."
DECLARATION_FUTURE = "La date de la déclaration ne peut pas être postérieure à aujourd'hui."
DECLARATION_INCOMPLETE_REASON = "déclaration sur l'honneur incomplète (texte, nom, qualité et date)"
DECLARATION_EXPECTED_REASON = "déclaration sur l'honneur attendue à la place d'un niveau"
NA_NO_LONGER_ALLOWED_REASON = "« non applicable » n'est plus possible d'après la qualification"
TO_REVIEW_REASON = "à revoir : les niveaux de cette exigence ont changé de sens"
DECLARANT_MAX_LENGTH = 200

LOCK_FIELDS = (
    "state",
    "qualification",
    "profiles",
    "reached_profiles",
    "reviewer_id",
    "submitted_at",
    "validated_at",
)
FIELD_LABELS = {"justification": "justification", "comment": "commentaire"}
ANSWER_FIELDS = ["level", "justification", "comment", "declarant", "declarant_role", "declared_on"]
# What a sworn declaration adds to an N/A answer (its text is the justification).
DECLARATION_FIELDS = ("declarant", "declarant_role", "declared_on")
# Every part of a sworn declaration, in the order of the form, as a status line names it.
DECLARATION_PARTS = {
    "justification": "le texte de la déclaration",
    "declarant": "le nom du déclarant",
    "declarant_role": "la qualité du déclarant",
    "declared_on": "la date",
}


class AnswerConflict(Exception):
    """The answer changed since the person loaded it: ``answer`` is the newer one (with ``updated_by``)."""

    def __init__(self, answer: Answer):
        super().__init__(f"Conflit sur la réponse {answer.pk} (révision {answer.revision}).")
        self.answer = answer


class AssessmentIncomplete(ValidationError):
    """Submission refused: ``missing`` lists the items ({"code", "title", "section", "reason"})."""

    def __init__(self, missing: list[dict]):
        super().__init__(ASSESSMENT_INCOMPLETE.format(count=len(missing)))
        self.missing = missing


@dataclass
class CarryOver:
    """What starting from a previous assessment did, by item code: answers carried over as they were,
    carried but "à revoir" (their levels changed meaning), new or never answered items, and items of
    the previous questionnaire that no longer exist (``dropped``)."""

    source: Assessment | None = None
    carried: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    to_review: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    source_questionnaire: str = ""  # « <title>, version <n> » of the source's questionnaire

    def named(self, codes: list[str]) -> list[dict]:
        return [{"code": code, "title": self.titles.get(code, "")} for code in codes]

    @property
    def to_review_items(self) -> list[dict]:
        return self.named(self.to_review)

    @property
    def new_items(self) -> list[dict]:
        return self.named(self.new)

    @property
    def dropped_items(self) -> list[dict]:
        return self.named(self.dropped)


# --- Start --------------------------------------------------------------------------------------------
@transaction.atomic
def assessment_start(
    *,
    product_version,
    questionnaire_version,
    actor,
    carry_from: Assessment | None = None,
    candidature: bool = False,
) -> Assessment:
    """Create a draft with one (empty) answer row per item, optionally filled from ``carry_from``.

    ``carry_from`` must be an assessment of the same product (any version, any questionnaire
    version): its qualification and the answers of items with the same code are copied. The summary
    is ``carry_over_summary(assessment=...)``.
    """
    if questionnaire_version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise ValidationError(QUESTIONNAIRE_NOT_PUBLISHED)
    # A DMN questionnaire is only answered inside a candidature (dmn.services passes ``candidature``):
    # on its own it would go to the self-assessment queue and end in an attestation.
    if not questionnaire_version.questionnaire.is_self_assessment and not candidature:
        raise ValidationError(DMN_OUTSIDE_CANDIDATURE)
    if carry_from is not None and carry_from.product_version.product_id != product_version.product_id:
        raise ValidationError(CARRY_OTHER_PRODUCT)
    struct = structure(questionnaire_version.pk)
    previous = _carried_answers(carry_from, struct)
    shared = Qualification.objects.filter(product_version=product_version).first()
    qualification = _carried_qualification(carry_from, struct)
    if shared is not None:
        qualification = _own_answers(shared.answers, struct)
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                product_version=product_version,
                questionnaire_version=questionnaire_version,
                qualification=qualification,
                created_by=actor,
                carried_from=carry_from,
            )
    except IntegrityError as error:
        raise ValidationError(ALREADY_OPEN) from error
    now = timezone.now()
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            item_id=item["id"],
            updated_by=actor if item["code"] in previous else None,
            updated_at=now,
            **previous.get(item["code"], {}),
        )
        for item in struct.items
    )
    assessment_recompute_profiles(assessment=assessment)
    return assessment


def carry_mapping(source_struct, struct) -> dict[str, tuple[str, bool]]:
    """{item code: (the source item code it continues, whether its levels changed meaning)}.

    When the version declares a ``carry_over`` from the source's questionnaire version, it decides
    (items marked new continue nothing); otherwise an item continues the source item of the same code.
    """
    declared = struct.definition.get("carry_over") or {}
    same_questionnaire = (
        source_struct.definition["questionnaire"]["code"] == struct.definition["questionnaire"]["code"]
    )
    if declared and same_questionnaire and declared.get("from") == source_struct.definition["number"]:
        return {
            code: (value["from"], value.get("meaning") == "changed")
            for code, value in declared["items"].items()
            if isinstance(value, dict)
        }
    return {code: (code, False) for code in struct.items_by_code if code in source_struct.items_by_code}


def _carried_answers(source: Assessment | None, struct) -> dict[str, dict]:
    if source is None:
        return {}
    mapping = carry_mapping(structure(source.questionnaire_version_id), struct)
    rows = (
        Answer.objects.filter(assessment=source)
        .exclude(level="")
        .values_list(
            "item__code", "level", "justification", "comment", "declarant", "declarant_role", "declared_on"
        )
    )
    before = {code: rest for code, *rest in rows}
    allowed = struct.level_codes | {NA_LEVEL}
    carried = {}
    for code, (source_code, changed) in mapping.items():
        item = struct.items_by_code[code]
        if source_code not in before:
            continue
        level, justification, comment, declarant, declarant_role, declared_on = before[source_code]
        if level not in allowed or (
            level == NA_LEVEL and not item["na_allowed"] and not item.get("declaration_condition")
        ):
            continue
        carried[code] = {
            "level": level,
            "justification": justification,
            "comment": comment,
            "declarant": declarant,
            "declarant_role": declarant_role,
            "declared_on": declared_on,
            "to_review": changed,
        }
    return carried


def _carried_qualification(source: Assessment | None, struct) -> dict:
    if source is None:
        return {}
    return _own_answers(source.qualification, struct)


def _own_answers(answers: dict, struct) -> dict:
    """The answers to the questions of ``struct``'s questionnaire version, among ``answers``."""
    known = {question["code"] for question in struct.questions}
    return {code: value for code, value in answers.items() if code in known}


def carry_over_summary(*, assessment: Assessment) -> CarryOver:
    """What was carried over from ``assessment.carried_from`` (2 queries): answers copied as they
    were, copied "à revoir", new or never answered items, and the source's items that are gone."""
    source = assessment.carried_from
    if source is None:
        return CarryOver()
    struct = assessment_structure(assessment)
    source_struct = structure(source.questionnaire_version_id)
    mapping = carry_mapping(source_struct, struct)
    answered_before = set(
        Answer.objects.filter(assessment=source).exclude(level="").values_list("item__code", flat=True)
    )
    questionnaire = source_struct.definition["questionnaire"]["title"]
    summary = CarryOver(
        source=source, source_questionnaire=f"{questionnaire}, version {source_struct.definition['number']}"
    )
    for item in struct.items:
        code = item["code"]
        source_code, changed = mapping.get(code, (None, False))
        if source_code not in answered_before:
            summary.new.append(code)
        elif changed:
            summary.to_review.append(code)
        else:
            summary.carried.append(code)
        summary.titles[code] = item["title"]
    continued = {source_code for source_code, _ in mapping.values()}
    summary.dropped = [item["code"] for item in source_struct.items if item["code"] not in continued]
    summary.titles |= {code: source_struct.items_by_code[code]["title"] for code in summary.dropped}
    return summary


# --- Qualification ----------------------------------------------------------------------------------
def qualification_errors(*, assessment: Assessment, answers: dict) -> list[str]:
    """French errors for qualification answers ({code: True/False/choice}); every question required."""
    struct = assessment_structure(assessment)
    return _answers_errors({question["code"]: question for question in struct.questions}, answers)


@transaction.atomic
def qualification_save(*, assessment: Assessment, answers: dict, actor) -> Assessment:
    """Store the qualification answers of the assessment's questionnaire (validated entirely) as the
    product version's, shared by its open assessments (``version_qualification_save``).

    Answers to items that stop applying are kept (they come back if the answer changes back) but no
    longer count for progress, submission or profiles.
    """
    assessment = _lock(assessment)
    ensure_editable(assessment)
    if errors := qualification_errors(assessment=assessment, answers=answers):
        raise ValidationError(errors)
    _share_qualification(assessment.product_version_id, answers, actor=actor)
    assessment.refresh_from_db(fields=["qualification", "profiles", "reached_profiles"])
    return assessment


def version_questions(*, product_version) -> list[dict]:
    """The qualification questions of a product version: those of the questionnaire versions its open
    assessments answer, then those of the latest published versions, each code once (first wins)."""
    version_ids = list(
        Assessment.objects.filter(product_version=product_version)
        .exclude(state__in=CLOSED_STATES)
        .order_by("questionnaire_version__questionnaire__title")
        .values_list("questionnaire_version_id", flat=True)
    )
    # A DMN questionnaire asks its questions only once a candidature has opened it (first query above).
    self_assessments = Questionnaire.objects.filter(theme__in=Questionnaire.SELF_ASSESSMENT_THEMES)
    for code in self_assessments.order_by("title").values_list("code", flat=True):
        try:
            version_ids.append(published_version(code).pk)
        except QuestionnaireVersion.DoesNotExist:
            continue
    questions: dict[str, dict] = {}
    for version_id in version_ids:
        for question in structure(version_id).questions:
            questions.setdefault(question["code"], question)
    return list(questions.values())


def version_qualification(*, product_version) -> dict:
    """The product version's shared qualification answers ({} before the first answer)."""
    shared = Qualification.objects.filter(product_version=product_version).first()
    return shared.answers if shared is not None else {}


@transaction.atomic
def version_qualification_save(*, product_version, answers: dict, actor) -> Qualification:
    """Answer the qualification of a product version once for all its questionnaires.

    Every question of ``version_questions`` needs an answer (French errors otherwise). Refused while
    one of its assessments is at the agency (submitted or in review). Each open assessment then holds
    the answers to its own questions, its profiles recomputed; closed ones are left as decided.
    """
    questions = {
        question["code"]: question for question in version_questions(product_version=product_version)
    }
    if errors := _answers_errors(questions, answers):
        raise ValidationError(errors)
    return _share_qualification(product_version.pk, answers, actor=actor)


def _answers_errors(questions: dict[str, dict], answers: dict) -> list[str]:
    errors = [UNKNOWN_QUESTION.format(code=code) for code in answers if code not in questions]
    for code, question in questions.items():
        value = answers.get(code)
        if value is None or value == "":
            errors.append(QUESTION_UNANSWERED.format(text=question["text"]))
        elif (question["kind"] == "choice" and value not in question["choices"]) or (
            question["kind"] != "choice" and not isinstance(value, bool)
        ):
            errors.append(BAD_CHOICE.format(value=value, text=question["text"]))
    return errors


def _share_qualification(product_version_id: int, answers: dict, *, actor) -> Qualification:
    assessments = list(
        Assessment.objects.select_for_update()
        .filter(product_version_id=product_version_id)
        .exclude(state__in=CLOSED_STATES)
        .order_by("pk")
    )
    if any(not assessment.is_editable for assessment in assessments):
        raise ValidationError(QUALIFICATION_UNDER_REVIEW)
    shared, _ = Qualification.objects.select_for_update().get_or_create(product_version_id=product_version_id)
    shared.answers = {**shared.answers, **answers}
    shared.updated_by, shared.updated_at = actor, timezone.now()
    shared.save()
    for assessment in assessments:
        own = _own_answers(shared.answers, assessment_structure(assessment))
        if own != assessment.qualification:
            assessment.qualification = own
            assessment.save(update_fields=["qualification", "updated_at"])
            assessment_recompute_profiles(assessment=assessment)
    return shared


# --- Answers ----------------------------------------------------------------------------------------
def answer_errors(
    *,
    assessment: Assessment,
    item: dict,
    level: str,
    justification: str,
    comment: str,
    qualification: dict | None = None,
    declarant: str = "",
    declarant_role: str = "",
    declared_on=None,
) -> list[str]:
    """French errors of one item's answer: the one set of rules of the item save and of the import.

    ``qualification`` decides applicability (the assessment's by default; an import brings its own).
    Texts are checked as they will be stored (trimmed, justification only for N/A). An item whose
    declaration condition holds takes only N/A (with its sworn declaration); an item whose N/A has a
    condition takes N/A only when it holds.
    """
    struct = assessment_structure(assessment)
    errors = []
    if qualification is None:
        qualification = assessment.qualification
    if not profiles.applicable(item.get("applicability"), qualification):
        errors.append(ITEM_NOT_APPLICABLE.format(code=item["code"]))
    declaration = declaration_expected(item, qualification)
    if declaration and level not in ("", NA_LEVEL):
        errors.append(DECLARATION_ONLY.format(code=item["code"]))
    elif level == NA_LEVEL and not declaration and not item["na_allowed"]:
        errors.append(NA_FORBIDDEN.format(code=item["code"]))
    elif level == NA_LEVEL and not declaration and not na_possible(item, qualification):
        condition = _describe(struct, item["na_condition"])
        errors.append(NA_CONDITION_UNMET.format(code=item["code"], condition=condition))
    elif level and level != NA_LEVEL and level not in struct.level_ranks:
        errors.append(UNKNOWN_LEVEL.format(level=level))
    if max(len(declarant), len(declarant_role)) > DECLARANT_MAX_LENGTH:
        errors.append(DECLARANT_TOO_LONG.format(max=DECLARANT_MAX_LENGTH))
    elif not (storable_text(declarant) and storable_text(declarant_role)):
        errors.append(TEXT_FORBIDDEN_CHARACTER.format(field="déclarant"))
    if declared_on is not None and declared_on > timezone.localdate():
        errors.append(DECLARATION_FUTURE)
    for name, text in (("justification", justification), ("comment", comment)):
        if len(text) > TEXT_MAX_LENGTH:
            errors.append(TEXT_TOO_LONG.format(field=FIELD_LABELS[name], max=TEXT_MAX_LENGTH))
        elif not storable_text(text):
            errors.append(TEXT_FORBIDDEN_CHARACTER.format(field=FIELD_LABELS[name]))
    return errors


def declaration_expected(item: dict, qualification: dict) -> bool:
    """Whether the item is answered by a sworn declaration under these qualification answers."""
    condition = item.get("declaration_condition")
    return condition is not None and profiles.applicable(condition, qualification)


def declaration_missing(*, item: dict, qualification: dict, answer: Answer) -> list[str]:
    """What the saved ``answer`` still lacks of the sworn declaration its item expects (French, in
    the order of the form); empty when it is complete or none is expected. Such an answer is saved
    (the person is typing) but blocks submission (``answer_gaps``). No query."""
    if answer.level != NA_LEVEL or not declaration_expected(item, qualification):
        return []
    return [label for name, label in DECLARATION_PARTS.items() if not getattr(answer, name)]


def na_possible(item: dict, qualification: dict) -> bool:
    """Whether N/A is an allowed answer of the item under these qualification answers."""
    if declaration_expected(item, qualification):
        return True
    condition = item.get("na_condition")
    return item["na_allowed"] and (condition is None or profiles.applicable(condition, qualification))


def _describe(struct, condition) -> str:
    labels = {question["code"]: question["text"] for question in struct.questions}
    return profiles.describe(condition, qualification_labels=labels)


def storable_text(text: str) -> bool:
    """PostgreSQL text holds no NUL character, and UTF-8 no lone surrogate (a JSON ``\\ud800``)."""
    return "\x00" not in text and _valid_unicode(text)


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class SavedAnswer(NamedTuple):
    """What ``answer_save`` leaves: the answer, and (level, justification) by item id of every answer
    of the assessment as committed with it (what progress needs), read in the same transaction.

    A save that wrote does not read the answer back: ``answer`` then holds what was written (values,
    revision, who and when, ``item_id``) but not its primary key; an unchanged save returns the row."""

    answer: Answer
    values: dict[int, tuple[str, str]]


def answer_save(
    *,
    assessment: Assessment,
    item_code: str,
    level: str,
    justification: str = "",
    comment: str = "",
    expected_revision: int,
    actor,
    locked: bool = False,
    declarant: str = "",
    declarant_role: str = "",
    declared_on=None,
) -> SavedAnswer:
    """Save one item's answer if nobody saved it since ``expected_revision``; recompute profiles.

    A stale ``expected_revision`` raises ``AnswerConflict`` with the newer answer, unless the newer
    answer already holds exactly these values (then it is returned: nothing to lose). An N/A without
    justification is saved (the person is typing it) but blocks submission.

    ``locked``: the caller's transaction already holds the row lock of ``assessment``
    (``assessment_for_member(for_update=True)``); the save then joins that transaction (no savepoint:
    an error ends it, as the caller's ``atomic`` block does). Otherwise the save is a transaction of
    its own. Queries: a constant handful whatever the number of items (lock, every answer's level, one
    conditional update of the answer, the assessment when its profiles change); the answer is read
    only when that update writes nothing (a conflict, or the values it already holds).

    ``declarant``, ``declarant_role`` and ``declared_on`` (a date, not in the future) complete a sworn
    declaration (kept for an N/A of an item whose declaration condition holds, dropped otherwise); the
    answer is the one record of sworn declarations, frozen by each submission. Saving an answer flagged "à revoir" (carried
    from an item whose levels changed meaning) confirms it, even with the same values.
    """
    declaration = (declarant, declarant_role, declared_on)
    if locked:
        if not transaction.get_connection().in_atomic_block:
            raise TransactionManagementError(LOCK_OUTSIDE_TRANSACTION)
        return _answer_save(
            assessment, item_code, level, justification, comment, expected_revision, actor, declaration
        )
    with transaction.atomic():
        return _answer_save(
            _lock(assessment), item_code, level, justification, comment, expected_revision, actor, declaration
        )


def _answer_save(
    assessment, item_code, level, justification, comment, expected_revision, actor, declaration=("", "", None)
):
    ensure_editable(assessment)
    item = assessment_structure(assessment).items_by_code.get(item_code)
    if item is None:
        raise ValidationError(UNKNOWN_ITEM.format(code=item_code))
    justification = justification.strip() if level == NA_LEVEL else ""
    comment = comment.strip()
    declarant, declarant_role, declared_on = declaration
    if level != NA_LEVEL or not declaration_expected(item, assessment.qualification):
        declarant, declarant_role, declared_on = "", "", None
    declarant, declarant_role = declarant.strip(), declarant_role.strip()
    if errors := answer_errors(
        assessment=assessment,
        item=item,
        level=level,
        justification=justification,
        comment=comment,
        declarant=declarant,
        declarant_role=declarant_role,
        declared_on=declared_on,
    ):
        raise ValidationError(errors)
    typed = (level, justification, comment, declarant, declarant_role, declared_on)
    given = dict(zip(ANSWER_FIELDS, typed, strict=True))
    stamp = {"to_review": False, "updated_by": actor, "updated_at": timezone.now()}
    # Every answer of the assessment, read before the write: the assessment's row lock, held by every
    # writer of its answers, keeps them as they are until the commit, but for this one.
    values = answer_values(assessment)
    # The common save is one write: the answer as the person loaded it (same revision), unless it
    # already holds these values and is not "à revoir" (then there is nothing to write). A new level
    # or justification is a change by itself: only then is that condition left out of the write.
    written = {**given, **stamp, "revision": expected_revision + 1}
    answers = Answer.objects.filter(assessment=assessment, item_id=item["id"], revision=expected_revision)
    if values.get(item["id"]) == (level, justification):
        answers = answers.exclude(to_review=False, **given)
    if not answers.update(**written):
        return SavedAnswer(_answer_not_written(assessment, item, given, stamp), values)
    values[item["id"]] = (level, justification)
    if item["code"] in assessment_structure(assessment).rule_item_codes or not assessment.profiles:
        assessment_recompute_profiles(assessment=assessment, values=values)
    # What was written, not read back (no primary key): what the response and callers need.
    return SavedAnswer(Answer(assessment=assessment, item_id=item["id"], **written), values)


def _answer_not_written(assessment, item, given: dict, stamp: dict) -> Answer:
    """The answer the conditional write of a save left alone: a newer one with other values is a
    conflict; with these very values it is returned as it is (nothing to lose), or confirmed when it
    is "à revoir" (the save named an older revision: the write could not match it)."""
    # Who saved it (``updated_by``) is only read for a conflict.
    answer = Answer.objects.get(assessment=assessment, item_id=item["id"])
    if any(getattr(answer, name) != value for name, value in given.items()):
        raise AnswerConflict(answer)
    if answer.to_review:
        for name, value in stamp.items():
            setattr(answer, name, value)
        answer.revision += 1
        answer.save(update_fields=[*stamp, "revision"])
    return answer


@transaction.atomic
def answers_import(
    *, assessment: Assessment, qualification: dict, answers: dict[str, dict], actor
) -> Assessment:
    """Replace the qualification and fill answers from an interchange document, all at once.

    The caller has validated the whole document (``document_errors``). Items absent from ``answers``
    keep their current answer. An answer in the document is the vendor stating it, as a save on the
    page does: it replaces the level, texts and sworn declaration, and clears "à revoir" unless the
    document itself says ``"to_review": true`` (an export of an unconfirmed answer, imported back).
    Every changed answer gets a new revision, so a colleague's open page sees a conflict instead of
    overwriting the import.
    """
    assessment = _lock(assessment)
    ensure_editable(assessment)
    if errors := qualification_errors(assessment=assessment, answers=qualification):
        raise ValidationError(errors)
    _share_qualification(assessment.product_version_id, qualification, actor=actor)
    assessment.refresh_from_db(fields=["qualification", "profiles", "reached_profiles"])
    struct = assessment_structure(assessment)
    item_ids = [struct.items_by_code[code]["id"] for code in answers if code in struct.items_by_code]
    now, changed = timezone.now(), []
    fields = [*ANSWER_FIELDS, "to_review"]
    for answer in Answer.objects.filter(assessment=assessment, item_id__in=item_ids):
        values = _imported_values(answers[struct.items_by_id[answer.item_id]["code"]])
        if values == tuple(getattr(answer, name) for name in fields):
            continue
        for name, value in zip(fields, values, strict=True):
            setattr(answer, name, value)
        answer.revision += 1
        answer.updated_by, answer.updated_at = actor, now
        changed.append(answer)
    Answer.objects.bulk_update(changed, [*fields, "revision", "updated_by", "updated_at"])
    assessment_recompute_profiles(assessment=assessment)
    return assessment


class ImportedAnswer(NamedTuple):
    """An answer of a document as ``answer_save`` would store it (``ANSWER_FIELDS``, then the flag)."""

    level: str
    justification: str
    comment: str
    declarant: str
    declarant_role: str
    declared_on: object  # datetime.date | None
    to_review: bool


def _imported_values(answer: dict) -> ImportedAnswer:
    """The stored values of a validated document answer: texts trimmed, the justification only for
    N/A, the declaration date as a date (``interchange.declaration_date``)."""
    level = answer.get("level", "")
    justification = (answer.get("justification") or "").strip() if level == NA_LEVEL else ""
    declared_on = answer.get("declared_on")
    return ImportedAnswer(
        level,
        justification,
        (answer.get("comment") or "").strip(),
        (answer.get("declarant") or "").strip(),
        (answer.get("declarant_role") or "").strip(),
        interchange.declaration_date(declared_on) if declared_on else None,
        answer.get("to_review") is True,
    )


# --- Export / import (interchange document, see assessments/INTERCHANGE.md) -----------------------------
# An export is a few hundred kilobytes; the bounds below only stop what no export can be.
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_DEPTH = 20
IMPORT_MAX_DIGITS = 30
IMPORT_MAX_ERRORS = 200
IMPORT_TOO_LARGE = "Le fichier dépasse 2 Mo : un export d'évaluation est bien plus petit."
IMPORT_NOT_JSON = "Le fichier n'est pas un document JSON lisible (ligne {line}, colonne {column} : {error})."
IMPORT_NOT_UTF8 = "Le fichier doit être encodé en UTF-8."
IMPORT_TOO_DEEP = (
    f"Le fichier imbrique plus de {IMPORT_MAX_DEPTH} niveaux d'objets ou de tableaux : "
    "ce n'est pas un document d'échange d'évaluation."
)
IMPORT_NUMBER_TOO_LONG = (
    f"Le fichier contient un nombre de plus de {IMPORT_MAX_DIGITS} chiffres : "
    "ce n'est pas un document d'échange d'évaluation."
)
IMPORT_NOT_STANDARD = "Le fichier contient NaN ou Infinity, qui ne sont pas des valeurs JSON standard."
IMPORT_BAD_CHARACTER = (
    "Le fichier contient un caractère Unicode invalide (un demi-caractère isolé tel que « \\ud800 ») : "
    "il doit contenir du texte Unicode valide."
)
IMPORT_ANSWER_ERROR = "answers.{code} : {message}"
IMPORT_DECLARATION_NOT_EXPECTED = (
    "L'exigence « {code} » ne se remplit pas par une déclaration sur l'honneur d'après la "
    "qualification du document : retirez « declarant », « declarant_role » et « declared_on »."
)
IMPORT_MORE_ERRORS = "… et {count} autre(s) problème(s)."


def parse_document(raw: bytes | str):
    """The JSON value in ``raw``; ``ValidationError`` with one French message otherwise.

    Bounded: at most ``IMPORT_MAX_BYTES``, ``IMPORT_MAX_DEPTH`` levels of nesting and
    ``IMPORT_MAX_DIGITS`` digits a number (Python refuses to convert over 4,300), no NaN/Infinity and
    no lone surrogate (it could be neither stored nor shown).
    """
    if len(raw) > IMPORT_MAX_BYTES:
        raise ValidationError([IMPORT_TOO_LARGE])
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise ValidationError([IMPORT_NOT_UTF8]) from error
    try:
        document = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ValidationError(
            [IMPORT_NOT_JSON.format(line=error.lineno, column=error.colno, error=error.msg)]
        ) from error
    except RecursionError as error:
        raise ValidationError([IMPORT_TOO_DEEP]) from error
    _check_shape(document)
    return document


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > IMPORT_MAX_DIGITS:
        raise ValidationError([IMPORT_NUMBER_TOO_LONG])
    return int(digits)


def _no_constant(name: str):
    raise ValidationError([IMPORT_NOT_STANDARD])


def _check_shape(document) -> None:
    """Depth and characters of every value and key, walked without recursion."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list) and depth > IMPORT_MAX_DEPTH:
            raise ValidationError([IMPORT_TOO_DEEP])
        if isinstance(value, dict):
            pending += [(key, depth) for key in value]
            pending += [(child, depth + 1) for child in value.values()]
        elif isinstance(value, list):
            pending += [(child, depth + 1) for child in value]
        elif isinstance(value, str) and not _valid_unicode(value):
            raise ValidationError([IMPORT_BAD_CHARACTER])


def document_errors(*, assessment: Assessment, document) -> list[str]:
    """Every problem of an interchange document for this assessment (empty list: it can be imported).

    Each answer goes through ``answer_errors``, the rules of the item save, under the document's
    qualification, with its texts and sworn declaration as they will be stored; a declaration on an
    item that the document's qualification does not answer by one is refused.
    """
    struct = assessment_structure(assessment)
    errors = interchange.validate_document(document, struct.definition)
    if errors:
        return errors
    qualification = document["qualification"]
    errors = qualification_errors(assessment=assessment, answers=qualification)
    for code, answer in document["answers"].items():
        values = _imported_values(answer)
        item = struct.items_by_code[code]
        messages = answer_errors(
            assessment=assessment,
            item=item,
            level=values.level,
            justification=values.justification,
            comment=values.comment,
            qualification=qualification,
            declarant=values.declarant,
            declarant_role=values.declarant_role,
            declared_on=values.declared_on,
        )
        # The page drops a declaration where none is expected; a document saying one is refused.
        declared = values.declarant or values.declarant_role or values.declared_on
        if declared and not declaration_expected(item, qualification):
            messages.append(IMPORT_DECLARATION_NOT_EXPECTED.format(code=code))
        errors += [IMPORT_ANSWER_ERROR.format(code=code, message=message) for message in messages]
    return errors


@transaction.atomic
def assessment_import(*, assessment: Assessment, document, actor) -> Assessment:
    """Fill an editable assessment from an interchange document: everything is validated first and
    every error is listed (``ValidationError``, cut after ``IMPORT_MAX_ERRORS`` with a count);
    nothing is written unless the whole document is valid. Items absent from the document keep
    their current answer."""
    assessment = _lock(assessment)
    ensure_editable(assessment)
    if errors := document_errors(assessment=assessment, document=document):
        if len(errors) > IMPORT_MAX_ERRORS:
            more = IMPORT_MORE_ERRORS.format(count=len(errors) - IMPORT_MAX_ERRORS)
            errors = [*errors[:IMPORT_MAX_ERRORS], more]
        raise ValidationError(errors)
    return answers_import(
        assessment=assessment,
        qualification=document["qualification"],
        answers=document["answers"],
        actor=actor,
    )


# --- Profiles -------------------------------------------------------------------------------------------
def assessment_recompute_profiles(
    *, assessment: Assessment, values: dict[int, tuple[str, str]] | None = None
) -> Assessment:
    """Evaluate the profile rules on the current answers and store them on the assessment.

    ``values`` ((level, justification) by item id, from ``answer_values``) spares the query of the
    levels; otherwise only the items the rules read are fetched. Unanswered, N/A and non-applicable
    items never satisfy a level condition (the engine's contract). The assessment row is written only
    when the profiles change.
    """
    struct = assessment_structure(assessment)
    rule_ids = [struct.items_by_code[c]["id"] for c in struct.rule_item_codes if c in struct.items_by_code]
    if values is None:
        rows = Answer.objects.filter(assessment=assessment, item_id__in=rule_ids).values_list(
            "item_id", "level"
        )
    else:
        rows = ((item_id, values[item_id][0]) for item_id in rule_ids if item_id in values)
    levels = profile_levels(
        assessment, ((struct.items_by_id[item_id]["code"], level) for item_id, level in rows)
    )
    qualification = {
        code: value for code, value in assessment.qualification.items() if isinstance(value, bool)
    }
    labels = {question["code"]: question["text"] for question in struct.questions}
    results = profiles.evaluate(struct.profile_rules, qualification, levels, struct.level_ranks, labels)
    computed = {
        code: {"label": struct.profile_rules[code].get("label", code), **result.as_dict()}
        for code, result in results.items()
    }
    reached = [code for code, result in results.items() if result.reached]
    if (computed, reached) != (assessment.profiles, assessment.reached_profiles):
        assessment.profiles, assessment.reached_profiles = computed, reached
        Assessment.objects.filter(pk=assessment.pk).update(profiles=computed, reached_profiles=reached)
    return assessment


# --- Submission and review --------------------------------------------------------------------------
@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, actor, api_key_name: str = "", candidature: bool = False
) -> Assessment:
    """Submit for review: refused (``AssessmentIncomplete``) while an applicable item lacks a complete
    answer; the role check of the workflow comes first. Writes a frozen ``Submission``.
    ``api_key_name``: the API key submitting, logged on the transition (empty from the pages).
    ``candidature``: submitted by its candidature (``dmn.services``); a DMN questionnaire is refused
    otherwise (``workflow.check``)."""
    assessment = _lock(assessment)
    workflow.check(assessment=assessment, to=State.SUBMITTED, actor=actor, candidature=candidature)
    values = answer_values(assessment)
    missing = missing_items(assessment, values)
    blocked = {entry["code"] for entry in missing}
    missing += [entry for entry in answer_gaps(assessment) if entry["code"] not in blocked]
    if missing:
        struct = assessment_structure(assessment)
        order = {item["code"]: index for index, item in enumerate(struct.items)}
        raise AssessmentIncomplete(sorted(missing, key=lambda entry: order[entry["code"]]))
    assessment_recompute_profiles(assessment=assessment)
    workflow.transition(
        assessment=assessment,
        to=State.SUBMITTED,
        actor=actor,
        api_key_name=api_key_name,
        candidature=candidature,
    )
    _write_submission(assessment, actor=actor)
    return assessment


def answer_gaps(assessment: Assessment) -> list[dict]:
    """Applicable items whose answer, complete in itself, still blocks submission (one query): a sworn
    declaration without its name or date, a level where the qualification now asks for a declaration,
    an N/A the qualification no longer allows, an answer carried "à revoir". Same shape as
    ``selectors.missing_items``."""
    struct = assessment_structure(assessment)
    qualification = assessment.qualification
    rows = Answer.objects.filter(assessment=assessment).values_list(
        "item_id", "level", "justification", "declarant", "declarant_role", "declared_on", "to_review"
    )
    answers = {item_id: (level, to_review, declaration) for item_id, level, *declaration, to_review in rows}
    gaps = []
    for item in struct.items:
        if not profiles.applicable(item.get("applicability"), qualification) or item["id"] not in answers:
            continue
        level, to_review, declaration = answers[item["id"]]
        reason = _gap(item, qualification, level, declaration, to_review)
        if reason:
            section = struct.section_of_item[item["code"]]
            gaps.append(
                {
                    "code": item["code"],
                    "title": item["title"],
                    "section": section["code"],
                    "section_index": struct.sections.index(section),
                    "reason": reason,
                }
            )
    return gaps


def _gap(item, qualification, level, declaration, to_review) -> str:
    """``declaration``: (justification, declarant, declarant_role, declared_on) of the answer."""
    expected = declaration_expected(item, qualification)
    if expected and level not in ("", NA_LEVEL):
        return DECLARATION_EXPECTED_REASON
    if expected and level == NA_LEVEL and not all(declaration):
        return DECLARATION_INCOMPLETE_REASON
    if level == NA_LEVEL and not na_possible(item, qualification):
        return NA_NO_LONGER_ALLOWED_REASON
    if to_review and level:
        return TO_REVIEW_REASON
    return ""


def frozen_declaration(declarant: str, declarant_role: str, declared_on) -> dict:
    """What a submission (and a report) keeps of an answer's sworn declaration; {} without one."""
    if not declared_on:
        return {}
    return {"declarant": declarant, "declarant_role": declarant_role, "declared_on": declared_on.isoformat()}


def _write_submission(assessment: Assessment, *, actor) -> Submission:
    struct = assessment_structure(assessment)
    applicable = {
        item["id"]: item["code"]
        for item in struct.items
        if profiles.applicable(item.get("applicability"), assessment.qualification)
    }
    rows = Answer.objects.filter(assessment=assessment, item_id__in=list(applicable)).values_list(
        "item_id", "level", "justification", "comment", "declarant", "declarant_role", "declared_on"
    )
    frozen = {
        applicable[item_id]: {"level": level, "justification": justification, "comment": comment}
        | frozen_declaration(declarant, declarant_role, declared_on)
        for item_id, level, justification, comment, declarant, declarant_role, declared_on in rows
    }
    ordered = {item["code"]: frozen[item["code"]] for item in struct.items if item["code"] in frozen}
    number = Submission.objects.filter(assessment=assessment).count() + 1
    return Submission.objects.create(
        assessment=assessment,
        number=number,
        submitted_by=actor,
        submitted_at=assessment.submitted_at,
        qualification=assessment.qualification,
        answers=ordered,
        profiles=assessment.profiles,
        identity=assessment_identity(assessment_with_identity(assessment)),
    )


@transaction.atomic
def assessment_take(*, assessment: Assessment, actor, candidature: bool = False) -> Assessment:
    """A reviewer takes a submitted assessment: it is now in review, assigned to them.
    ``candidature``: taken with its candidature (``dmn.services``), as for every decision below; a
    DMN questionnaire is refused otherwise (``workflow.check``)."""
    return workflow.transition(
        assessment=_lock(assessment), to=State.IN_REVIEW, actor=actor, candidature=candidature
    )


@transaction.atomic
def assessment_validate(
    *, assessment: Assessment, actor, comment: str = "", candidature: bool = False
) -> Assessment:
    """Validate: the profiles are recomputed one last time and frozen with the assessment (answers of a
    validated assessment can no longer change). Extension point for the review flow: after this call,
    request the attestation (``certificates.services.certificate_request``) and notify the company,
    in the same transaction (with ``transaction.on_commit`` for anything leaving the database)."""
    assessment = _lock(assessment)
    assessment_recompute_profiles(assessment=assessment)
    return workflow.transition(
        assessment=assessment, to=State.VALIDATED, actor=actor, comment=comment, candidature=candidature
    )


@transaction.atomic
def assessment_request_changes(
    *, assessment: Assessment, actor, comment: str, candidature: bool = False
) -> Assessment:
    """Send back to the vendor (comment required): answers become editable until resubmission.
    Extension point: publishing the item comments and notifying the company belong to the review flow."""
    return workflow.transition(
        assessment=_lock(assessment),
        to=State.CHANGES_REQUESTED,
        actor=actor,
        comment=comment,
        candidature=candidature,
    )


@transaction.atomic
def assessment_refuse(
    *, assessment: Assessment, actor, comment: str, candidature: bool = False
) -> Assessment:
    """Refuse (comment required); the assessment is closed. Extension point: notification."""
    return workflow.transition(
        assessment=_lock(assessment), to=State.REFUSED, actor=actor, comment=comment, candidature=candidature
    )


def _lock(assessment: Assessment) -> Assessment:
    """Lock the row and refresh the fields that decide what may happen (state, qualification…)."""
    fresh = Assessment.objects.select_for_update(of=("self",)).only(*LOCK_FIELDS).get(pk=assessment.pk)
    for name in LOCK_FIELDS:
        setattr(assessment, name, getattr(fresh, name))
    return assessment


def ensure_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise ValidationError(NOT_EDITABLE.format(state=State(assessment.state).label))
