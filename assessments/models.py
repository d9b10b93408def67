"""Assessments: a product version answering a published questionnaire version.

State changes only through ``assessments.workflow`` (declared transitions, each logged as a
``Transition``). Profiles are recomputed by the services in the same transaction as every answer
change and stored on the assessment (``profiles``, ``reached_profiles``).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone

from audit.models import track
from core.models import PublicModel
from core.triggers import append_only, never_moves


class State(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise"
    IN_REVIEW = "in_review", "En instruction"
    CHANGES_REQUESTED = "changes_requested", "Compléments demandés"
    VALIDATED = "validated", "Validée"
    REFUSED = "refused", "Refusée"


CLOSED_STATES = (State.VALIDATED, State.REFUSED)
# States in which a transition requires a written comment (database-enforced on Transition).
COMMENT_REQUIRED_STATES = (State.CHANGES_REQUESTED, State.REFUSED)


class Assessment(PublicModel):
    State = State

    product_version = models.ForeignKey(
        "products.ProductVersion",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="version",
    )
    questionnaire_version = models.ForeignKey(
        "questionnaires.QuestionnaireVersion",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="questionnaire",
    )
    state = models.CharField("état", max_length=20, choices=State.choices, default=State.DRAFT)
    # {"<qualification code>": true | false | "<choice>"}; a missing code is unanswered.
    qualification = models.JSONField("qualification", default=dict, blank=True)
    # {"<profile code>": {"label", "reached", "missing": [...], "met", "total"}},
    # see questionnaires/profiles.py.
    profiles = models.JSONField("profils calculés", default=dict, blank=True)
    reached_profiles = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments_in_review",
        verbose_name="instructeur",
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="reprise de"
    )
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_version", "questionnaire_version"],
                condition=~Q(state__in=CLOSED_STATES),
                name="assessments_one_open_per_version",
                violation_error_message="Une évaluation de ce questionnaire est déjà en cours pour cette version.",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="assessments_state_submitted"),
            models.Index(fields=["product_version", "-created_at"], name="assessments_version_recent"),
            GinIndex(fields=["reached_profiles"], name="assessments_reached_profiles"),
        ]
        # An assessment stays with its product version (its owner is memoised: selectors).
        triggers = [never_moves(name="assessment", field="product_version")]

    def __str__(self) -> str:
        return f"Évaluation {self.public_id}"

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.CHANGES_REQUESTED)


class Qualification(models.Model):
    """The qualification answers of a product version, answered once and shared by its assessments.

    ``answers``: {"<question code>": true | false | "<choice>"}; a question is the same in every
    questionnaire that asks it (same code). Each open assessment keeps a copy of the answers to its own
    questions (``Assessment.qualification``), written by the same service; a closed one keeps those it
    was decided with.
    """

    product_version = models.OneToOneField(
        "products.ProductVersion",
        on_delete=models.CASCADE,
        related_name="qualification",
        verbose_name="version",
    )
    answers = models.JSONField("réponses", default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)

    class Meta:
        verbose_name = "qualification d'une version"
        verbose_name_plural = "qualifications des versions"

    def __str__(self) -> str:
        return f"Qualification de {self.product_version_id}"


class Answer(models.Model):
    """One item's answer. ``revision`` grows on every save: a save naming an older one is a conflict."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey("questionnaires.Item", on_delete=models.PROTECT, related_name="+")
    # A level code of the questionnaire version, "na" (non applicable) or "" (not answered yet).
    level = models.CharField("niveau", max_length=20, blank=True)
    justification = models.TextField("justification de la non-applicabilité", blank=True)
    comment = models.TextField("commentaire", blank=True)
    # A sworn declaration (items whose ``declaration_condition`` holds): the text is ``justification``.
    # The one record of sworn declarations: frozen with the answers by each ``Submission``.
    declarant = models.CharField("nom du déclarant", max_length=200, blank=True)
    declarant_role = models.CharField("qualité du déclarant", max_length=200, blank=True)
    declared_on = models.DateField("date de la déclaration", null=True, blank=True)
    # Carried over from an item whose levels changed meaning: to confirm before submitting.
    to_review = models.BooleanField("à revoir", default=False)
    revision = models.PositiveIntegerField("révision", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"],
                name="assessments_answer_one_per_item",
                violation_error_message="Cette exigence a déjà une réponse dans l'évaluation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.level or 'sans réponse'}"


class Transition(models.Model):
    """The log of every state change: who, when, from, to, and why; the one history of the state.

    Append-only in the database (triggers below). The assessment's ``state``, ``reviewer``,
    ``submitted_at`` and ``validated_at`` are what its latest transitions set: the audit trail does not
    copy them again.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_state = models.CharField("état de départ", max_length=20, choices=State.choices)
    to_state = models.CharField("état d'arrivée", max_length=20, choices=State.choices)
    comment = models.TextField("commentaire", blank=True)
    at = models.DateTimeField("le", default=timezone.now)
    # The name of the API key the actor's change went through; empty for a change made in the pages.
    api_key_name = models.CharField("clé d'API", max_length=100, blank=True)

    class Meta:
        verbose_name = "changement d'état"
        verbose_name_plural = "changements d'état"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_state__in=COMMENT_REQUIRED_STATES) | ~Q(comment=""),
                name="assessments_transition_comment_required",
                violation_error_message="Un commentaire est obligatoire pour demander des compléments ou refuser.",
            ),
        ]
        indexes = [models.Index(fields=["assessment", "at"], name="assessments_transition_at")]
        triggers = append_only(
            name="transition",
            columns=("id", "assessment_id", "from_state", "to_state", "comment", "at", "api_key_name"),
        )

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class Submission(models.Model):
    """What the vendor submitted, frozen at each submission (for diffs and the reviewer's history)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField("numéro")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField("soumise le", default=timezone.now)
    qualification = models.JSONField(default=dict)
    # {"<item code>": {"level", "justification", "comment"}} for every applicable item.
    answers = models.JSONField(default=dict)
    profiles = models.JSONField(default=dict)
    # Company, product, version and questionnaire as named when submitted (see
    # ``selectors.assessment_identity``): what a document states, whatever the vendor renames later.
    identity = models.JSONField("identité figée", default=dict)

    class Meta:
        verbose_name = "soumission"
        verbose_name_plural = "soumissions"
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"],
                name="assessments_submission_number_unique",
                violation_error_message="Ce numéro de soumission existe déjà.",
            ),
        ]

    def __str__(self) -> str:
        return f"Soumission n° {self.number}"


# The audit trail of the assessment's life (event tables of the audit app, see audit/models.py).
track(
    Answer,
    name="AnswerEvent",
    fields=[
        "assessment",
        "item",
        "level",
        "justification",
        "comment",
        "declarant",
        "declarant_role",
        "declared_on",
        "to_review",
        "revision",
        "updated_by",
    ],
)
# The state, the reviewer and the dates of submission and validation are stated by the
# ``Transition`` log (who, when, from, to, why), the one history of the lifecycle: not copied here.
track(Assessment, name="AssessmentEvent", fields=["reached_profiles"])
track(Qualification, name="QualificationEvent", fields=["product_version", "answers", "updated_by"])
