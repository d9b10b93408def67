"""Questionnaire definitions: versioned, immutable once published, loaded from YAML files.

A published (or retired) version and everything under it can no longer change: PostgreSQL triggers
(migration 0002) refuse any insert, update or delete touching it, whatever the ORM call. A fix is a
new version.
"""

from django.db import models
from django.db.models import Q

from core.models import PublicModel, TimestampedModel
from questionnaires.levels import NA_LEVEL


class Questionnaire(TimestampedModel):
    class Theme(models.TextChoices):
        INTEROPERABILITE = "interoperabilite", "Interopérabilité"
        SECURITE = "securite", "Sécurité"
        URBANISATION = "urbanisation", "Urbanisation"
        # The DMN certification's referential and per-line specifications: answered inside a DMN
        # candidature (app dmn), never offered as a self-assessment.
        DMN = "dmn", "Dispositifs médicaux numériques"

    SELF_ASSESSMENT_THEMES = (Theme.INTEROPERABILITE, Theme.SECURITE, Theme.URBANISATION)

    code = models.SlugField("code", max_length=50, unique=True)
    title = models.CharField("titre", max_length=200)
    theme = models.CharField("thème", max_length=20, choices=Theme.choices)

    class Meta:
        verbose_name = "questionnaire"
        verbose_name_plural = "questionnaires"
        ordering = ["code"]

    @property
    def is_self_assessment(self) -> bool:
        """Offered as a self-assessment, ending in an attestation; otherwise a certification
        procedure's questionnaire (DMN), answered and decided inside its candidature."""
        return self.theme in self.SELF_ASSESSMENT_THEMES

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publiée"
        RETIRED = "retired", "Retirée"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions", verbose_name="questionnaire"
    )
    number = models.PositiveIntegerField("numéro de version")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    checksum = models.CharField("empreinte SHA-256 du fichier source", max_length=64)
    source_path = models.CharField("fichier source", max_length=255, blank=True)
    # {"<profile code>": {"label": "...", "rule": <tree>}}; see questionnaires/profiles.py for the tree.
    profile_rules = models.JSONField("règles des profils", default=dict, blank=True)
    # {"from": <previous version number>, "items": {"<item code>": "new" | {"from": "<code>",
    # "meaning": "same" | "changed"}}}: how answers of the previous version carry over (empty: by code).
    carry_over = models.JSONField("reprise de la version précédente", default=dict, blank=True)

    class Meta:
        verbose_name = "version de questionnaire"
        verbose_name_plural = "versions de questionnaire"
        ordering = ["questionnaire__code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"],
                name="questionnaires_version_number_unique",
                violation_error_message="Ce numéro de version existe déjà pour ce questionnaire.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="questionnaires_version_number_positive",
                violation_error_message="Le numéro de version commence à 1.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="questionnaires_version_published_has_date",
                violation_error_message="Une version publiée ou retirée doit avoir une date de publication.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class Level(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="levels", verbose_name="version"
    )
    code = models.SlugField("code", max_length=20)
    label = models.CharField("libellé", max_length=100)
    colour = models.CharField("couleur", max_length=7, help_text="Couleur hexadécimale, par exemple #CE0500.")
    rank = models.PositiveSmallIntegerField("rang", help_text="Du moins mûr (0) au plus mûr.")

    class Meta:
        verbose_name = "niveau de maturité"
        verbose_name_plural = "niveaux de maturité"
        ordering = ["version", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="questionnaires_level_code_unique",
                violation_error_message="Ce code de niveau existe déjà dans cette version.",
            ),
            models.UniqueConstraint(
                fields=["version", "rank"],
                name="questionnaires_level_rank_unique",
                violation_error_message="Deux niveaux d'une même version ne peuvent avoir le même rang.",
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"),
                name="questionnaires_level_colour_hex",
                violation_error_message="La couleur doit être au format hexadécimal #RRVVBB.",
            ),
            models.CheckConstraint(
                condition=~Q(code=NA_LEVEL),
                name="questionnaires_level_code_not_na",
                violation_error_message="Le code « na » est réservé à « non applicable ».",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class QualificationQuestion(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Oui / non"
        CHOICE = "choice", "Choix unique"

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="qualification_questions",
        verbose_name="version",
    )
    code = models.SlugField("code", max_length=50)
    text = models.CharField("question", max_length=500)
    kind = models.CharField("type", max_length=10, choices=Kind.choices, default=Kind.YES_NO)
    choices = models.JSONField("choix possibles", default=list, blank=True)
    help_text = models.TextField("aide", blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "question de qualification"
        verbose_name_plural = "questions de qualification"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="questionnaires_qualification_code_unique",
                violation_error_message="Ce code de question de qualification existe déjà dans cette version.",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Section(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections", verbose_name="version"
    )
    code = models.CharField("code", max_length=30)
    title = models.CharField("titre", max_length=300)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "section"
        verbose_name_plural = "sections"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="questionnaires_section_code_unique",
                violation_error_message="Ce code de section existe déjà dans cette version.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Item(models.Model):
    # Denormalised from the section so per-version queries need no join; the importer keeps them equal
    # and a trigger (migration 0002) refuses an item whose section belongs to another version.
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="items", verbose_name="version"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="items", verbose_name="section"
    )
    code = models.CharField("code", max_length=30)
    title = models.CharField("intitulé", max_length=500)
    help_text = models.TextField("aide", blank=True)
    reference = models.CharField(
        "référence", max_length=300, blank=True, help_text="Volet du CI-SIS ou autre référentiel vérifié."
    )
    order = models.PositiveIntegerField("ordre", default=0)
    na_allowed = models.BooleanField("« non applicable » autorisé", default=True)
    level_descriptions = models.JSONField("description par niveau", default=dict, blank=True)
    # None: always applicable; else a tree of all/any/qualification nodes on the qualification answers.
    applicability = models.JSONField("condition d'applicabilité", null=True, blank=True)
    # With ``na_allowed``: None, N/A always allowed; else N/A allowed only when this condition holds.
    na_condition = models.JSONField("condition de la non-applicabilité", null=True, blank=True)
    # When this condition holds the item is answered by a justified sworn declaration (text, name, date)
    # instead of a level: it stays visible (e.g. INS items when the INS does not apply).
    declaration_condition = models.JSONField(
        "condition de la déclaration sur l'honneur", null=True, blank=True
    )
    # {"number": 2, "effective": "2026-01-01", "note": "…"}: the wave from which the item is required.
    wave = models.JSONField("vague", default=dict, blank=True)

    class Meta:
        verbose_name = "exigence"
        verbose_name_plural = "exigences"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="questionnaires_item_code_unique",
                violation_error_message="Ce code d'exigence existe déjà dans cette version.",
            ),
        ]
        indexes = [models.Index(fields=["version", "order"], name="questionnaires_item_order")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProofAddendum(models.Model):
    """The proofs declared for a version published before its items could declare them.

    A version's own file is immutable once published; its expected proofs may come from a separate file
    (``<code>/proofs-v<N>.yaml``), imported once with its checksum and frozen from then on, exactly like
    the version: importing the same file again changes nothing, an edited file is refused.
    """

    version = models.OneToOneField(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="proof_addendum", verbose_name="version"
    )
    checksum = models.CharField("empreinte SHA-256 du fichier source", max_length=64)
    source_path = models.CharField("fichier source", max_length=255, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)

    class Meta:
        verbose_name = "déclaration de preuves attendues"
        verbose_name_plural = "déclarations de preuves attendues"

    def __str__(self) -> str:
        return f"Preuves attendues de {self.version}"


class ExpectedProof(models.Model):
    """A proof an item asks for: a file in given formats, a permanent link, or a free description."""

    class Kind(models.TextChoices):
        FILE = "file", "Fichier"
        LINK = "link", "Lien permanent"
        DESCRIPTION = "description", "Description"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="expected_proofs")
    # None: declared in the version's own file; else the addendum that declared it.
    addendum = models.ForeignKey(
        ProofAddendum, on_delete=models.CASCADE, null=True, blank=True, related_name="expected_proofs"
    )
    code = models.SlugField("code", max_length=50)
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    label = models.CharField("intitulé", max_length=300)
    instruction = models.TextField("consigne")
    formats = models.JSONField("formats acceptés", default=list, blank=True)
    max_size = models.PositiveBigIntegerField("taille maximale (octets)", default=0)
    min_count = models.PositiveSmallIntegerField("nombre minimal", default=1)
    max_count = models.PositiveSmallIntegerField("nombre maximal", default=1)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "preuve attendue"
        verbose_name_plural = "preuves attendues"
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "code"],
                name="questionnaires_expected_proof_code_unique",
                violation_error_message="Ce code de preuve existe déjà pour cette exigence.",
            ),
            models.CheckConstraint(
                condition=Q(max_count__gte=1) & Q(max_count__gte=models.F("min_count")),
                name="questionnaires_expected_proof_counts",
                violation_error_message="Le nombre maximal de preuves doit être au moins 1 et au moins le minimum.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="file") | Q(max_size__gt=0),
                name="questionnaires_expected_proof_file_size",
                violation_error_message="Une preuve de type fichier doit avoir une taille maximale.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_kind_display()})"

    @property
    def is_required(self) -> bool:
        return self.min_count > 0
