"""Certificates: PDF documents rendered from a frozen snapshot, verifiable by an unguessable code.

Status changes go through ``certificates.services`` only. Each fact of a certificate's life is a column
of its row (who requested it, its status, when it was last requeued, what it replaces and why, its
revocation), so the audit trail of the row (``audit.CertificateAuditEvent``) is its one history, read
as « demandé, généré, relancé… » by ``certificates.selectors.certificate_history``. A certificate is
never deleted: revocation is a logged transition that the public page shows.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.fields.json import KT, KeyTransform
from django.db.models.functions import Cast, Concat

from audit.models import track
from certificates.codes import CODE_LENGTH, format_code, new_code
from core.models import PublicModel
from core.search import normalised


class Kind(models.TextChoices):
    ATTESTATION = "attestation", "Attestation d'auto-évaluation"
    RAPPORT = "rapport", "Rapport d'auto-évaluation"
    # Issued by a certification procedure (a DMN candidature) when the agency validates it.
    CONFORMITE = "conformite", "Certificat de conformité"


# The public documents: listed in the catalogue while valid, announced to its subscribers. Reports
# are private.
LISTED_KINDS = (Kind.ATTESTATION, Kind.CONFORMITE)


class Status(models.TextChoices):
    PENDING = "pending", "En cours de génération"
    READY = "ready", "Disponible"
    FAILED = "failed", "Échec de la génération"


# What the catalogue's search reads, in this order, separated by spaces (see ``stated_search``).
SEARCHED = (
    "company__name",
    "company__siren",
    "product__display_name",
    "product__commercial_name",
    "version__label",
    "questionnaire__title",
)
# Lists of the snapshot whose elements' labels are searched too, after ``SEARCHED``: the generic lines
# a certificate of conformity covers (« diabète » finds it).
SEARCHED_LABELS = ("lines",)


def _labels(path: str) -> Func:
    """The ``label`` of every element of the snapshot's list ``path``, as plain text (« Diabète,
    Insuffisance cardiaque chronique »; empty without the list). ``jsonb_path_query_array`` is
    immutable, so a generated column may use it; the JSON brackets and quotes are dropped."""
    labels = Func(
        F("snapshot"),
        Value(f"$.{path}[*].label"),
        function="jsonb_path_query_array",
        output_field=models.JSONField(),
    )
    return Func(
        Cast(labels, models.TextField()),
        Value('[]"'),
        Value(""),
        function="translate",
        output_field=models.TextField(),
    )


def _stated(path: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=KT(f"snapshot__{path}"), output_field=models.TextField(), db_persist=True
    )


class Certificate(PublicModel):
    Kind = Kind
    Status = Status

    kind = models.CharField("type de document", max_length=20, choices=Kind.choices)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="certificates", verbose_name="entreprise"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="évaluation",
    )
    snapshot = models.JSONField("contenu figé")
    snapshot_sha256 = models.CharField("empreinte du contenu", max_length=64)
    template_version = models.CharField("version du gabarit", max_length=20)
    code = models.CharField("code de vérification", max_length=CODE_LENGTH, unique=True, default=new_code)
    file = models.FileField("fichier PDF", upload_to="certificates/%Y/%m/", blank=True)
    file_sha256 = models.CharField("empreinte SHA-256 du fichier", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives de génération", default=0)
    failure_reason = models.TextField("raison de l'échec", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandé par",
    )
    rendered_at = models.DateTimeField("généré le", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField("motif de la révocation", blank=True)
    # Set each time the periodic sweep enqueues the render again (``certificates_requeue_pending``).
    requeued_at = models.DateTimeField("relancé le", null=True, blank=True)
    # An attestation delivered again by the agency after the revocation of the one it replaces.
    reissue_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="délivré à nouveau à la place de",
    )
    reissue_reason = models.TextField("motif de la nouvelle délivrance", blank=True)
    # The certification procedure a certificate of conformity closes (a DMN candidature's public id):
    # given by the procedure's app, which this one does not know; one live certificate per procedure.
    # The certificate still anchors on an assessment (the procedure's referential) for its company,
    # access and product, which several procedures can share.
    procedure_ref = models.UUIDField("procédure certifiée", null=True, blank=True, editable=False)
    # What the public catalogue lists, sorts and searches, copied from the frozen snapshot by
    # PostgreSQL on insert (a snapshot never changes): a list of thousands of documents then reads
    # plain columns instead of decompressing every snapshot several times.
    stated_company_name = _stated("company__name")
    stated_company_siren = _stated("company__siren")
    stated_product_name = _stated("product__display_name")
    stated_commercial_name = _stated("product__commercial_name")
    stated_version_label = _stated("version__label")
    stated_referential_code = _stated("questionnaire__code")
    stated_referential_title = _stated("questionnaire__title")
    stated_referential_version = _stated("questionnaire__version")
    stated_profiles = models.GeneratedField(
        expression=KeyTransform("profiles", "snapshot"), output_field=models.JSONField(), db_persist=True
    )
    # The generic lines a certificate of conformity covers (null for the other kinds).
    stated_lines = models.GeneratedField(
        expression=KeyTransform("lines", "snapshot"), output_field=models.JSONField(), db_persist=True
    )
    # The searched texts, without accents and in lower case, stored once (a search then reads a plain
    # column, through a trigram index, instead of normalising every row).
    stated_search = models.GeneratedField(
        expression=normalised(
            Concat(
                *(part for path in SEARCHED for part in (KT(f"snapshot__{path}"), Value(" "))),
                *(part for path in SEARCHED_LABELS for part in (_labels(path), Value(" "))),
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = "attestation"
        verbose_name_plural = "attestations"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "snapshot_sha256", "template_version"],
                condition=Q(revoked_at__isnull=True) & ~Q(status="failed"),
                name="certificates_one_live_document_per_content",
                violation_error_message="Ce document existe déjà pour ces données.",
            ),
            models.UniqueConstraint(
                fields=["procedure_ref"],
                condition=Q(procedure_ref__isnull=False, revoked_at__isnull=True) & ~Q(status="failed"),
                name="certificates_one_live_certificate_per_procedure",
                violation_error_message="Cette procédure a déjà un certificat en vigueur.",
            ),
            models.CheckConstraint(
                condition=Q(kind="conformite", procedure_ref__isnull=False)
                | (~Q(kind="conformite") & Q(procedure_ref__isnull=True)),
                name="certificates_conformity_names_its_procedure",
                violation_error_message="Un certificat de conformité, et lui seul, désigne sa procédure.",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(rendered_at__isnull=False)),
                name="certificates_ready_has_file",
                violation_error_message="Un document disponible doit avoir son fichier et sa date de génération.",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificates_revocation_reason_required",
                violation_error_message="Le motif de la révocation est obligatoire.",
            ),
            models.CheckConstraint(
                condition=Q(reissue_of__isnull=True) | ~Q(reissue_reason=""),
                name="certificates_reissue_reason_required",
                violation_error_message="Le motif de la nouvelle délivrance est obligatoire.",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z2-7]{16}$"),
                name="certificates_code_base32",
                violation_error_message="Le code de vérification doit comporter 16 caractères (A à Z, 2 à 7).",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="certificates_status_created"),
            # The public catalogue's default order (newest first): a page reads the first rows only.
            models.Index(
                fields=["-rendered_at", "code"],
                name="certificates_listed_recent",
                condition=Q(kind="attestation", status="ready", revoked_at__isnull=True),
            ),
            # The catalogue's search: ``stated_search LIKE '%word%'`` over listed documents only.
            GinIndex(
                OpClass("stated_search", name="gin_trgm_ops"),
                name="certificates_listed_search",
                condition=Q(kind="attestation", status="ready", revoked_at__isnull=True),
            ),
            # The same two for the certificates of conformity, the catalogue's second source.
            models.Index(
                fields=["-rendered_at", "code"],
                name="certificates_certified_recent",
                condition=Q(kind="conformite", status="ready", revoked_at__isnull=True),
            ),
            GinIndex(
                OpClass("stated_search", name="gin_trgm_ops"),
                name="certificates_certified_search",
                condition=Q(kind="conformite", status="ready", revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_code}"

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_draft(self) -> bool:
        return bool(self.snapshot.get("draft"))


# Every request, reissue, render, failure, requeue and revocation (see audit/models.py): the one
# history of a certificate.
track(
    Certificate,
    name="CertificateAuditEvent",
    fields=[
        "assessment",
        "company",
        "kind",
        "procedure_ref",
        "status",
        "code",
        "requested_by",
        "reissue_of",
        "reissue_reason",
        "file_sha256",
        "failure_reason",
        "requeued_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    ],
    # The code is copied from the certificate, never generated here.
    attrs={"code": models.CharField("code de vérification", max_length=16)},
)
