import pgtrigger
from django.conf import settings
from django.db import models

from audit.models import track
from core.models import PublicModel

# The version of the memberships of a person (``accounts.User.memberships_version``) is raised by these
# triggers, on every write (bulk ``.update()``, the admin site and SQL included): a session's kept
# list of memberships (``companies.current``) is then read again on the person's next request.
_RAISE_VERSION = (
    "UPDATE accounts_user SET memberships_version = memberships_version + 1 WHERE {where}; RETURN NULL;"
)


class Role(models.TextChoices):
    """A member's role inside a company, from the most to the least powerful."""

    MANDATAIRE = "mandataire", "Mandataire"
    REPRESENTANT = "representant", "Représentant"
    SALARIE = "salarie", "Salarié"


class Company(PublicModel):
    """The tenant: a vendor company, identified by its SIREN."""

    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("raison sociale", max_length=255)
    address = models.TextField("adresse", blank=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "entreprise"
        verbose_name_plural = "entreprises"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siren__regex=r"^[0-9]{9}$"),
                name="companies_siren_nine_digits",
                violation_error_message="Le SIREN doit comporter exactement 9 chiffres.",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="company_raises_members_version",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("name", "is_active"),
                func=_RAISE_VERSION.format(
                    where="id IN (SELECT user_id FROM companies_membership WHERE company_id = NEW.id)"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})"


class Membership(PublicModel):
    """A person's membership of a company, with the role that decides what they may do there."""

    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="utilisateur",
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name="entreprise"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.SALARIE)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        ordering = ["company__name", "user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"],
                name="companies_membership_unique_user_company",
                violation_error_message="Cette personne est déjà membre de l'entreprise.",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="membership_raises_user_version",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                # OLD is NULL on an insert and NEW on a delete.
                func=_RAISE_VERSION.format(where="id = NEW.user_id OR id = OLD.user_id"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.company.name} ({self.get_role_display()})"

    def can(self, capability: str) -> bool:
        from companies.roles import role_can

        return self.is_active and role_can(self.role, capability)


def account_request_upload_path(instance, filename: str) -> str:
    # The name typed by the requester never reaches the file system.
    return f"account_requests/{instance.public_id}.pdf"


class AccountRequest(PublicModel):
    """A legal representative's request to open their company's account, decided by a reviewer."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        APPROVED = "approved", "Acceptée"
        REJECTED = "rejected", "Refusée"

    siren = models.CharField("SIREN", max_length=9, db_index=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    company_name = models.CharField("raison sociale", max_length=255)
    address = models.TextField("adresse")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("adresse e-mail", max_length=254)
    phone = models.CharField("téléphone", max_length=30)
    position = models.CharField("fonction", max_length=150)
    certified = models.BooleanField("habilitation certifiée", default=False)
    document = models.FileField("justificatif", upload_to=account_request_upload_path, max_length=200)
    document_name = models.CharField("nom du fichier déposé", max_length=255, blank=True)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_account_requests",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_reason = models.TextField("motif", blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_requests",
        verbose_name="entreprise créée",
    )

    class Meta:
        verbose_name = "demande de compte"
        verbose_name_plural = "demandes de compte"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"],
                condition=models.Q(status="pending"),
                name="companies_account_request_one_pending_per_siren",
                violation_error_message="Une demande est déjà en cours d'examen pour cette entreprise.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_reason=""),
                name="companies_account_request_rejection_has_reason",
                violation_error_message="Un refus doit être motivé.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | (models.Q(decided_by__isnull=False) & models.Q(decided_at__isnull=False)),
                name="companies_account_request_decision_is_signed",
                violation_error_message="Une décision indique qui l'a prise et quand.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.siren}) — {self.get_status_display()}"

    @property
    def requester_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Invitation(PublicModel):
    """A single-use invitation to join a company with a role; only a hash of its token is stored."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name="entreprise"
    )
    email = models.EmailField("adresse e-mail", max_length=254)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sent_invitations",
        verbose_name="invité par",
    )
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.company.name} ({self.get_role_display()})"


# Who belongs to which company with which role, whoever changes it (see audit/models.py).
track(Membership, name="MembershipEvent", fields=["user", "company", "role", "is_active"])
