"""Subscriptions to a product of the public catalogue: an e-mail address told when a document of the
product is issued or revoked, at once or in a weekly digest.

Only confirmed subscriptions are stored: the confirmation link carries the request itself (signed),
so an address nobody confirmed is never kept. Unsubscribing deletes the row.
"""

from django.db import models

from core.models import PublicModel


class Frequency(models.TextChoices):
    EACH = "chaque", "Un message à chaque document délivré ou révoqué"
    WEEKLY = "hebdomadaire", "Un résumé par semaine"


class Subscription(PublicModel):
    Frequency = Frequency

    email = models.EmailField("adresse électronique")
    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="+", verbose_name="produit"
    )
    frequency = models.CharField("fréquence", max_length=12, choices=Frequency.choices)
    confirmed_at = models.DateTimeField("confirmé le")
    # The end of the period the last weekly digest covered: the next one starts there.
    digest_sent_at = models.DateTimeField("dernier résumé envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement"
        verbose_name_plural = "abonnements"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "email"],
                name="catalogue_one_subscription_per_address",
                violation_error_message="Cette adresse est déjà abonnée à ce produit.",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "email"], name="catalogue_subscription_freq")]

    def __str__(self) -> str:
        return f"Abonnement {self.public_id}"


class DocumentNotice(models.Model):
    """That the subscribers of a product were told of one change of a document: a redelivered
    task tells them once."""

    class Change(models.TextChoices):
        ISSUED = "issued", "Délivré"
        REVOKED = "revoked", "Révoqué"

    certificate = models.ForeignKey("certificates.Certificate", on_delete=models.CASCADE, related_name="+")
    change = models.CharField("changement", max_length=10, choices=Change.choices)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)
    recipients = models.PositiveIntegerField("destinataires", default=0)

    class Meta:
        verbose_name = "avis de changement"
        verbose_name_plural = "avis de changement"
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "change"],
                name="catalogue_one_notice_per_change",
                violation_error_message="Les abonnés ont déjà été avertis de ce changement.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_change_display()} : document {self.certificate_id}"
