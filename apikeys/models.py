"""API keys: a company's machine access to the vendor API, named and scoped by a mandataire.

Only the SHA-256 of a key is stored (a key carries 256 random bits: no slow hash needed, as for
invitation tokens); the key itself is shown once, when it is created. A key is never deleted:
revoking it keeps its name for the audit trail of what it wrote.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from audit.models import track
from core.models import PublicModel


class Scope(models.TextChoices):
    LECTURE = "lecture", "Lecture"
    ECRITURE = "ecriture", "Lecture et écriture"


class ApiKey(PublicModel):
    Scope = Scope

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="api_keys", verbose_name="entreprise"
    )
    name = models.CharField("nom", max_length=100)
    scope = models.CharField("portée", max_length=10, choices=Scope.choices, default=Scope.LECTURE)
    # The first characters of the key, shown in lists so that people can tell their keys apart.
    prefix = models.CharField("début de la clé", max_length=12)
    key_hash = models.CharField("empreinte SHA-256 de la clé", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="créée par"
    )
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "company",
                "name",
                condition=Q(revoked_at__isnull=True),
                name="apikeys_live_name_unique",
                violation_error_message="Une clé active porte déjà ce nom dans l'entreprise.",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=Scope.values),
                name="apikeys_scope_known",
                violation_error_message="Portée inconnue.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.ECRITURE


# Creations and revocations of keys (who, when): see audit/models.py.
track(
    ApiKey,
    name="ApiKeyEvent",
    fields=["company", "name", "scope", "prefix", "created_by", "revoked_at", "revoked_by"],
)
