"""The help centre: answers (entries) filed under the agency's five facets, searched in French.

An entry's ``search_vector`` is a column PostgreSQL computes itself from the title and the body,
through the ``fr_unaccent`` text-search configuration (French stemming after ``unaccent``, migration
0001): "securite" finds "Sécurité", "attestations" finds "attestation". Entries point at questionnaire
items by code (plain strings): the questionnaires know nothing of the help centre, and an entry keeps
explaining an item from one questionnaire version to the next.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q

from audit.models import track
from core.models import PublicModel

# The text-search configuration of the migration: French stemming on unaccented words.
SEARCH_CONFIG = "fr_unaccent"


class Facet(models.TextChoices):
    """The agency's five ways of filing an answer, in the order its help centre shows them."""

    OFFER = "offre", "Type d'offre"
    CORRIDOR = "couloir", "Couloir Ségur"
    DEVICE = "dispositif", "Dispositif Ségur"
    PRODUCT = "produit", "Produit ou service"
    THEME = "theme", "Thème"


class Tag(models.Model):
    """One value of a facet (for instance the theme "Comptes et accès")."""

    facet = models.CharField("facette", max_length=12, choices=Facet.choices)
    slug = models.SlugField("code", max_length=60)
    label = models.CharField("libellé", max_length=120)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "valeur de facette"
        verbose_name_plural = "valeurs de facette"
        ordering = ["facet", "order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "slug"],
                name="helpcentre_tag_slug_unique",
                violation_error_message="Cette valeur existe déjà pour cette facette.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_facet_display()} : {self.label}"


class Entry(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publiée"

    slug = models.SlugField("adresse", max_length=120, unique=True)
    title = models.CharField("question", max_length=200)
    body = models.TextField("réponse", help_text="Paragraphes séparés par une ligne vide.")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    tags = models.ManyToManyField(Tag, related_name="entries", verbose_name="facettes", blank=True)
    item_codes = ArrayField(
        models.CharField(max_length=30),
        verbose_name="exigences expliquées",
        default=list,
        blank=True,
        help_text="Codes des exigences des questionnaires, par exemple A08.3.1.",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("body", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = "réponse du centre d'aide"
        verbose_name_plural = "réponses du centre d'aide"
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="helpcentre_entry_search"),
            GinIndex(fields=["item_codes"], name="helpcentre_entry_items"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="helpcentre_entry_published_has_date",
                violation_error_message="Une réponse publiée doit avoir une date de publication.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Vote(models.Model):
    """A visitor's "was this answer useful?" (the visitor: a random token kept in their session)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes", verbose_name="réponse")
    visitor = models.CharField("visiteur", max_length=64)
    useful = models.BooleanField("utile")
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "avis"
        verbose_name_plural = "avis"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "visitor"],
                name="helpcentre_vote_once",
                violation_error_message="Vous avez déjà donné votre avis sur cette réponse.",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Utile' if self.useful else 'Pas utile'} : {self.entry}"


# Who wrote, edited, published or unpublished each answer (see audit/models.py).
track(
    Entry,
    name="HelpEntryEvent",
    fields=["slug", "title", "body", "status", "published_at", "item_codes"],
)
