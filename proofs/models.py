"""Proofs deposited on an assessment's items.

Proofs are append-only once submitted: the submission freezes them (``frozen_at``), the database then
refuses any change to what was submitted (triggers below), and a later change is a new revision
(``supersedes``) while the old row stays, marked ``superseded_at``. Proof files are stored once per
content hash (``proofs/blobs.py``) and never overwritten.

Sworn declarations are not here: an item answered by one keeps it in its answer
(``assessments.models.Answer``: text, declarant, role, date), frozen by each submission like every
answer.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from audit.models import track
from core.models import PublicModel

# What a submission freezes: the content of a proof. The reviewer's verdict and the
# supersession mark stay writable.
PROOF_CONTENT = (
    "assessment_id",
    "item_id",
    "expected_id",
    "kind",
    "file",
    "sha256",
    "size",
    "original_name",
    "file_format",
    "content_type",
    "url",
    "description",
    "effective_date",
    "uploaded_by_id",
    "frozen_at",
    "revision",
    "supersedes_id",
)


def _frozen_guards(prefix: str, content: tuple[str, ...]) -> list:
    old = ", ".join(f"OLD.{name}" for name in content)
    new = ", ".join(f"NEW.{name}" for name in content)
    return [
        pgtrigger.Protect(
            name=f"{prefix}_frozen_no_delete",
            operation=pgtrigger.Delete,
            condition=pgtrigger.Condition("OLD.frozen_at IS NOT NULL"),
        ),
        pgtrigger.Protect(
            name=f"{prefix}_frozen_no_update",
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(f"OLD.frozen_at IS NOT NULL AND ({old}) IS DISTINCT FROM ({new})"),
        ),
    ]


class Status(models.TextChoices):
    TO_CHECK = "a_verifier", "À vérifier"
    VERIFIED = "verifiee", "Vérifiée"
    PARTIAL = "partielle", "Partiellement vérifiée"
    REFUSED = "refusee", "Refusée"


# Verdicts that send the item back to the vendor ("compléments demandés").
SENDS_BACK = (Status.PARTIAL, Status.REFUSED)


class Scan(models.TextChoices):
    NOT_SCANNED = "non_analysee", "Non analysée"
    CLEAN = "saine", "Analysée : aucun virus détecté"
    NOT_APPLICABLE = "sans_objet", "Sans objet (pas de fichier)"


class Proof(PublicModel):
    Status = Status
    Scan = Scan

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="proofs", verbose_name="évaluation"
    )
    item = models.ForeignKey("questionnaires.Item", on_delete=models.PROTECT, related_name="+")
    expected = models.ForeignKey(
        "questionnaires.ExpectedProof",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="preuve attendue",
    )
    kind = models.CharField("type", max_length=12)
    # Named by content hash (proofs/blobs.py): two proofs with the same content share one stored file.
    file = models.FileField("fichier", max_length=200, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("taille (octets)", default=0)
    original_name = models.CharField("nom du fichier déposé", max_length=255, blank=True)
    file_format = models.CharField("format reconnu", max_length=10, blank=True)
    content_type = models.CharField("type MIME reconnu", max_length=100, blank=True)
    url = models.URLField("lien", max_length=2000, blank=True)
    description = models.TextField("description", blank=True)
    effective_date = models.DateField("date d'effet")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="déposée par",
    )
    scan = models.CharField("analyse antivirus", max_length=12, choices=Scan.choices)
    revision = models.PositiveSmallIntegerField("révision", default=1)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="remplace"
    )
    frozen_at = models.DateTimeField("figée le (soumission)", null=True, blank=True)
    superseded_at = models.DateTimeField("remplacée ou retirée le", null=True, blank=True)
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.TO_CHECK)
    review_comment = models.TextField("commentaire de l'instructeur", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("vérifiée le", null=True, blank=True)

    class Meta:
        verbose_name = "preuve"
        verbose_name_plural = "preuves"
        ordering = ["assessment", "item", "expected", "created_at"]
        indexes = [models.Index(fields=["assessment", "item"], name="proofs_proof_item")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$"))
                | (Q(kind="link") & ~Q(url=""))
                | (Q(kind="description") & ~Q(description="")),
                name="proofs_content_matches_kind",
                violation_error_message="Une preuve doit avoir le contenu de son type (fichier, lien ou description).",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=SENDS_BACK) | ~Q(review_comment=""),
                name="proofs_sending_back_needs_a_comment",
                violation_error_message="Un commentaire est obligatoire pour une preuve refusée ou partiellement vérifiée.",
            ),
            models.UniqueConstraint(
                fields=["supersedes"],
                name="proofs_one_revision_per_proof",
                violation_error_message="Cette preuve a déjà été remplacée.",
            ),
        ]
        triggers = _frozen_guards("proofs_proof", PROOF_CONTENT)

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == "file":
            return self.original_name
        if self.kind == "link":
            return self.url
        return self.description[:80]

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def plays_inline(self) -> bool:
        return self.kind == "file" and self.content_type.split("/")[0] in ("video", "image")


# Deposits, replacements, withdrawals and the reviewer's verdicts (status, comment, who, when) are
# all changes of a Proof row: one audit trail holds them (see audit/models.py).
track(
    Proof,
    name="ProofEvent",
    fields=[
        *(name.removesuffix("_id") for name in PROOF_CONTENT),
        "scan",
        "superseded_at",
        "status",
        "review_comment",
        "reviewed_by",
        "reviewed_at",
    ],
)
