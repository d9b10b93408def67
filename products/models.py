import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from audit.models import track
from core.models import PublicModel
from core.triggers import never_moves


def _fold(text: str) -> str:
    """``text`` without case, accents nor repeated spaces, for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def variant_labels(*, os: str, os_other: str, device: str) -> tuple[str, str]:
    """The OS and device as the full name ``[Name] [OS] [Device]`` shows them ("" when not set)."""
    os_label = os_other.strip() if os == Product.OS.OTHER else dict(Product.OS.choices).get(os, "")
    return os_label, dict(Product.Device.choices).get(device, "")


def without_variant_words(name: str, labels) -> tuple[str, list[str]]:
    """``name`` without the whole words of ``labels`` (each one or more words, compared without case
    nor accents), and the labels found in it: ("Agenda Santé", ["Android", "Mobile"])."""
    words = name.split()
    found = []
    for label in labels:
        target = _fold(label).split()
        if not target:
            continue
        size, kept, index = len(target), [], 0
        while index < len(words):
            if [_fold(word) for word in words[index : index + size]] == target:
                index += size
                if label not in found:
                    found.append(label)
            else:
                kept.append(words[index])
                index += 1
        words = kept
    return " ".join(words), found


def identity_key(*, name: str, os: str, os_other: str, device: str) -> str:
    """What makes two products of a company the same: the full name ``[Name] [OS] [Device]``, ignoring
    case and accents, and the OS or device words typed in the name ("Agenda Android Mobile" with
    Android and Mobile is "Agenda" Android Mobile)."""
    labels = variant_labels(os=os, os_other=os_other, device=device)
    bare, _ = without_variant_words(name, labels)
    return _fold(" ".join((bare, *labels)))


class Product(PublicModel):
    """One variant of a vendor's offer whose maturity can differ: ``[Name] [OS] [Device]``."""

    class OS(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"
        WINDOWS = "windows", "Windows"
        LINUX = "linux", "Linux"
        OTHER = "autre", "Autre"

    class Device(models.TextChoices):
        MOBILE = "mobile", "Mobile"
        WEB = "site_web", "Site Web"

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="products", verbose_name="entreprise"
    )
    name = models.CharField("nom du produit", max_length=150)
    os = models.CharField("système d'exploitation", max_length=10, choices=OS.choices)
    os_other = models.CharField("autre système", max_length=60, blank=True)
    device = models.CharField("support", max_length=10, choices=Device.choices)
    commercial_name = models.CharField(
        "nom commercial",
        max_length=200,
        blank=True,
        help_text="Nom présenté aux usagers (catalogue Mon espace santé).",
    )
    description = models.TextField("description", blank=True)
    nil_number = models.CharField("numéro NIL", max_length=50, blank=True)
    certifications = models.TextField("certifications", blank=True)
    # Set by the services from name, OS and device (see ``identity_key``); unique per company.
    identity = models.CharField(max_length=450, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "produit"
        verbose_name_plural = "produits"
        ordering = ["name", "os", "device"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "identity"],
                name="products_product_identity_unique",
                violation_error_message="Un produit de même nom, système et support existe déjà dans l'entreprise.",
            ),
            models.CheckConstraint(
                condition=(Q(os="autre") & ~Q(os_other="")) | (~Q(os="autre") & Q(os_other="")),
                name="products_product_os_other_iff_autre",
                violation_error_message="Précisez le système d'exploitation lorsque vous choisissez « Autre », et seulement dans ce cas.",
            ),
        ]
        indexes = [models.Index(fields=["company", "name"], name="products_product_company_name")]
        # A product stays with its company (the owner of an assessment is memoised).
        triggers = [never_moves(name="product", field="company")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def os_label(self) -> str:
        return self.os_other if self.os == self.OS.OTHER else self.get_os_display()

    @property
    def display_name(self) -> str:
        return f"{self.name} {self.os_label} {self.get_device_display()}"


class ProductVersion(PublicModel):
    """An edition or version of a product; assessments are made per version."""

    class Status(models.TextChoices):
        PRODUCTION = "production", "En production"
        EXPERIMENTATION = "experimentation", "En expérimentation"
        OBSOLETE = "obsolete", "Obsolète"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="versions", verbose_name="produit"
    )
    label = models.CharField("version", max_length=100)
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.PRODUCTION)

    class Meta:
        verbose_name = "version de produit"
        verbose_name_plural = "versions de produit"
        ordering = ["product", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                "product",
                Lower("label"),
                name="products_version_label_unique",
                violation_error_message="Cette version existe déjà pour ce produit.",
            ),
        ]
        triggers = [never_moves(name="product_version", field="product")]

    def __str__(self) -> str:
        return self.label


# Versions created from the portal or the API (audit/models.py): the key's name comes with the API's.
track(ProductVersion, name="ProductVersionEvent", fields=["product", "label", "status"])
