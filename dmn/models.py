"""DMN "ligne générique" candidatures: an operator applies for the certification of one version of a
remote-monitoring medical device for one or several generic lines.

A candidature answers nothing itself: it links one assessment of the DMN referential (shared by the
candidatures of one product version) and one assessment per line of the line's technical
specifications, answered, proved, submitted and instructed like any assessment. Its own state changes
only through ``dmn.workflow`` (declared transitions, each logged as a ``CandidatureTransition``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import COMMENT_REQUIRED_STATES, State
from audit.models import track
from core.models import PublicModel, TimestampedModel
from core.triggers import append_only


class Line(models.TextChoices):
    DIABETE = "diabete", "Diabète"
    RENAL = "renal", "Insuffisance rénale chronique"
    RESPIRATOIRE = "respiratoire", "Insuffisance respiratoire chronique"
    CARDIAQUE = "cardiaque", "Insuffisance cardiaque chronique"
    PROTHESES = "protheses", "Prothèses cardiaques implantables"


# The questionnaire (code) each line answers, beside the referential every candidature answers.
REFERENTIAL = "dmn_referentiel"
LINE_QUESTIONNAIRES = {
    Line.DIABETE: "dmn_diabete",
    Line.RENAL: "dmn_renal",
    Line.RESPIRATOIRE: "dmn_respiratoire",
    Line.CARDIAQUE: "dmn_cardiaque",
    Line.PROTHESES: "dmn_protheses",
}


class Capacity(models.TextChoices):
    OPERATOR = "exploitant", "Exploitant du dispositif"
    MANUFACTURER = "fabricant", "Fabricant, sans exploiter le dispositif"
    DISTRIBUTOR = "distributeur", "Distributeur ou revendeur"


class DeviceCapacity(TimestampedModel):
    """The capacity in which the product's company acts for this device, as it declared it."""

    product = models.OneToOneField(
        "products.Product", on_delete=models.CASCADE, related_name="dmn_capacity", verbose_name="produit"
    )
    capacity = models.CharField("qualité", max_length=20, choices=Capacity.choices)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "qualité déclarée pour un DMN"
        verbose_name_plural = "qualités déclarées pour des DMN"

    def __str__(self) -> str:
        return self.get_capacity_display()


class Grouping(models.TextChoices):
    TOGETHER = "ensemble", "Une candidature pour toutes les lignes (un seul certificat)"
    PER_LINE = "par_ligne", "Une candidature par ligne (un certificat par ligne)"


class Candidature(PublicModel):
    State = State

    product_version = models.ForeignKey(
        "products.ProductVersion",
        on_delete=models.PROTECT,
        related_name="dmn_candidatures",
        verbose_name="version",
    )
    grouping = models.CharField("regroupement", max_length=10, choices=Grouping.choices)
    state = models.CharField("état", max_length=20, choices=State.choices, default=State.DRAFT)
    # Shared by the candidatures of one product version filed one per line.
    referential = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="dmn_candidatures",
        verbose_name="évaluation du référentiel",
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="reprise de la candidature",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dmn_candidatures_in_review",
        verbose_name="instructeur",
    )
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)

    class Meta:
        verbose_name = "candidature DMN"
        verbose_name_plural = "candidatures DMN"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="dmn_candidature_state")]

    def __str__(self) -> str:
        return f"Candidature DMN {self.public_id}"

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.CHANGES_REQUESTED)


class CandidatureLine(models.Model):
    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="lines")
    line = models.CharField("ligne générique", max_length=20, choices=Line.choices)
    assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="dmn_line",
        verbose_name="évaluation des spécifications techniques",
    )

    class Meta:
        verbose_name = "ligne d'une candidature"
        verbose_name_plural = "lignes des candidatures"
        ordering = ["candidature", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "line"],
                name="dmn_line_once_per_candidature",
                violation_error_message="Cette ligne figure déjà dans la candidature.",
            )
        ]

    def __str__(self) -> str:
        return self.get_line_display()


class CandidatureTransition(models.Model):
    """The log of every state change of a candidature: who, when, from, to, and why; the one history of
    its state (the candidature's ``state``, ``reviewer``, ``submitted_at`` and ``decided_at`` are what its
    transitions set). Append-only in the database (triggers below)."""

    candidature = models.ForeignKey(Candidature, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_state = models.CharField("état de départ", max_length=20, choices=State.choices)
    to_state = models.CharField("état d'arrivée", max_length=20, choices=State.choices)
    comment = models.TextField("commentaire", blank=True)
    at = models.DateTimeField("le")

    class Meta:
        verbose_name = "changement d'état d'une candidature"
        verbose_name_plural = "changements d'état des candidatures"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_state__in=COMMENT_REQUIRED_STATES) | ~Q(comment=""),
                name="dmn_transition_comment_required",
                violation_error_message="Un commentaire est obligatoire pour demander des compléments ou refuser.",
            )
        ]
        triggers = append_only(
            name="candidature_transition",
            columns=("id", "candidature_id", "from_state", "to_state", "comment", "at"),
        )

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


# A candidature's state changes are its ``CandidatureTransition`` log, not audited twice; what else it
# holds is written once, at its creation (``created_by``, ``created_at``).
track(DeviceCapacity, name="DmnDeviceCapacityEvent", fields=["product", "capacity", "declared_by"])
