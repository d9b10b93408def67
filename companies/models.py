from django.conf import settings
from django.db import models

from core.models import PublicModel


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

    def __str__(self) -> str:
        return f"{self.user} — {self.company.name} ({self.get_role_display()})"

    def can(self, capability: str) -> bool:
        from companies.roles import role_can

        return self.is_active and role_can(self.role, capability)
