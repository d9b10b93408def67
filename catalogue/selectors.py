"""Reads of the public catalogue: the products holding a valid document, and each product's history.

The catalogue states what the documents state: every column comes from a document's frozen snapshot
(company, product, version, referential, profiles), never from rows a vendor can still edit, and
never anything of the answers (levels, comments, justifications, proofs).

A listed entry is one valid document: ready, not revoked, the latest of its assessment (an
attestation) or of its procedure (a certificate of conformity, one per DMN candidature). Each kind of
document is a *source* (``SOURCES``): a function giving, for the filters, a queryset of the same
``COLUMNS``; the catalogue is their union. The certified lines are one of these columns (null for an
attestation), the lines' labels and questionnaires as the certificate states them.

Every function runs a constant number of queries, whatever the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from catalogue.models import Subscription
from certificates.codes import format_code
from certificates.models import LISTED_KINDS, Certificate
from core.search import normalised
from products.models import Product
from questionnaires.models import QuestionnaireVersion

ATTESTATION = Certificate.Kind.ATTESTATION
CONFORMITE = Certificate.Kind.CONFORMITE
SORT_RECENT = "recent"
SORT_COMPANY = "entreprise"
SORT_PRODUCT = "produit"
SORTS = {
    SORT_RECENT: ("Les plus récents", ("-issued_at", "verification_code")),
    SORT_COMPANY: (
        "Entreprise (A → Z)",
        ("company_name", "product_name", "version_label", "verification_code"),
    ),
    SORT_PRODUCT: ("Produit (A → Z)", ("product_name", "company_name", "version_label", "verification_code")),
}
# What every source gives, in this order (a union matches columns by position).
COLUMNS = (
    "document_kind",
    "verification_code",
    "product_public_id",
    "company_public_id",
    "company_name",
    "company_siren",
    "product_name",
    "version_label",
    "referential_code",
    "referential_title",
    "referential_version",
    "profiles",
    "lines",
    "issued_at",
)
SEARCH_WORDS = 8


@dataclass(frozen=True)
class CatalogueFilters:
    search: str = (
        ""  # words found, accents and case aside, in the company, product, version, referential or line
    )
    profile: str = ""  # a DMP profile code reached
    questionnaire: str = ""  # a referential (questionnaire) code
    company: str = ""  # Company.public_id
    line: str = ""  # a generic line a certificate of conformity covers (its code)
    sort: str = SORT_RECENT
    # Keyset pagination (the API's cursor), newest first: rows after (issued_at, verification_code).
    after: tuple | None = None


@dataclass(frozen=True)
class CatalogueEntry:
    """One listed document, as the page, the CSV export and the API show it."""

    document_kind: str
    verification_code: str
    product_public_id: str
    company_public_id: str
    company_name: str
    company_siren: str
    product_name: str
    version_label: str
    referential_code: str
    referential_title: str
    referential_version: str
    profiles: dict
    lines: list | None  # [{"code", "label", "questionnaire": {...}}] for a certificate of conformity
    issued_at: object

    @property
    def line_labels(self) -> list[str]:
        return line_labels(self.lines)

    @property
    def display_code(self) -> str:
        return format_code(self.verification_code)

    @property
    def verify_path(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.display_code})

    @property
    def company_query(self) -> str:
        return urlencode({"entreprise": self.company_public_id})

    @property
    def product_path(self) -> str:
        return reverse("catalogue:product", kwargs={"public_id": self.product_public_id})

    @property
    def profiles_reached(self) -> list[str]:
        return profiles_reached(self.profiles)

    @property
    def document_label(self) -> str:
        return Certificate.Kind(self.document_kind).label


def profiles_reached(profiles: dict) -> list[str]:
    """The labels of the profiles a snapshot says are reached, sorted."""
    return sorted(
        profile.get("label", code) for code, profile in (profiles or {}).items() if profile.get("reached")
    )


def line_labels(lines: list | None) -> list[str]:
    """The labels of the lines a certificate states, in its order (never their codes)."""
    return [line["label"] for line in lines or ()]


def valid_attestations() -> QuerySet[Certificate]:
    """Attestations that state a validation today: ready, not revoked, the latest of their assessment
    (a reissue or a new template leaves only one per assessment)."""
    live = Certificate.objects.filter(
        kind=ATTESTATION, status=Certificate.Status.READY, revoked_at__isnull=True
    )
    newer = live.filter(assessment_id=OuterRef("assessment_id"), created_at__gt=OuterRef("created_at"))
    return live.filter(~Exists(newer))


def valid_conformity_certificates() -> QuerySet[Certificate]:
    """Certificates of conformity in force: ready, not revoked (one live per candidature)."""
    return Certificate.objects.filter(
        kind=CONFORMITE, status=Certificate.Status.READY, revoked_at__isnull=True
    )


def _attestation_rows(filters: CatalogueFilters) -> QuerySet:
    rows = _listed_rows(valid_attestations(), kind=ATTESTATION, filters=filters)
    return rows.none() if filters.line else rows  # an attestation certifies no line


def _conformity_rows(filters: CatalogueFilters) -> QuerySet:
    rows = valid_conformity_certificates()
    if filters.line:
        rows = rows.filter(stated_lines__contains=[{"code": filters.line}])
    return _listed_rows(rows, kind=CONFORMITE, filters=filters)


def _listed_rows(documents: QuerySet[Certificate], *, kind: str, filters: CatalogueFilters) -> QuerySet:
    """The ``COLUMNS`` of listed ``documents`` of one ``kind``, with the filters every source shares."""
    rows = documents.annotate(
        document_kind=Value(kind, output_field=CharField()),
        verification_code=F("code"),
        product_public_id=F("assessment__product_version__product__public_id"),
        company_public_id=F("company__public_id"),
        company_name=F("stated_company_name"),
        company_siren=F("stated_company_siren"),
        product_name=F("stated_product_name"),
        version_label=F("stated_version_label"),
        referential_code=F("stated_referential_code"),
        referential_title=F("stated_referential_title"),
        referential_version=F("stated_referential_version"),
        profiles=F("stated_profiles"),
        lines=F("stated_lines"),
        issued_at=F("rendered_at"),
    )
    if filters.profile:
        rows = rows.filter(stated_profiles__contains={filters.profile: {"reached": True}})
    if filters.questionnaire:
        rows = rows.filter(stated_referential_code=filters.questionnaire)
    if filters.company:
        rows = rows.filter(company__public_id=filters.company)
    if filters.after:
        issued_at, code = filters.after
        rows = rows.filter(Q(issued_at__lt=issued_at) | Q(issued_at=issued_at, verification_code__gt=code))
    # The searched texts are stored normalised (``Certificate.stated_search``, trigram-indexed); each
    # word is normalised by the same expression, which PostgreSQL folds to a constant before planning.
    for word in search_words(filters.search):
        rows = rows.filter(stated_search__contains=normalised(Value(word, output_field=CharField())))
    return rows.values(*COLUMNS)


# Each kind of listed document; a new kind adds its function here (same columns, same filters).
SOURCES: tuple[Callable[[CatalogueFilters], QuerySet], ...] = (_attestation_rows, _conformity_rows)


def search_words(search: str) -> list[str]:
    """The words of a search (at most ``SEARCH_WORDS``); each must be found."""
    return search.split()[:SEARCH_WORDS]


def catalogue_rows(filters: CatalogueFilters) -> QuerySet:
    """The listed documents with the filters applied, sorted, as dicts of ``COLUMNS`` (one query
    to count, one per page)."""
    first, *others = (source(filters) for source in SOURCES)
    rows = first.union(*others, all=True) if others else first
    _label, ordering = SORTS.get(filters.sort, SORTS[SORT_RECENT])
    return rows.order_by(*ordering)


def entries(rows) -> list[CatalogueEntry]:
    return [
        CatalogueEntry(
            **{
                **row,
                "product_public_id": str(row["product_public_id"]),
                "company_public_id": str(row["company_public_id"]),
            }
        )
        for row in rows
    ]


def catalogue_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The options of the catalogue's filters: referentials of the listed documents, generic lines of
    the listed certificates, profiles of the published rules (three queries). Companies are chosen
    from the list's links, not from options."""
    first, *others = (
        source(CatalogueFilters()).order_by().values_list("referential_code", "referential_title").distinct()
        for source in SOURCES
    )
    questionnaires: dict[str, str] = {}
    for code, title in first.union(*others) if others else first:
        questionnaires.setdefault(code, title)
    profiles: dict[str, str] = {}
    for rules in QuestionnaireVersion.objects.exclude(profile_rules={}).values_list(
        "profile_rules", flat=True
    ):
        for code, rule in rules.items():
            profiles.setdefault(code, rule.get("label", code))
    return {
        "questionnaire": sorted(questionnaires.items(), key=lambda pair: pair[1].casefold()),
        "profile": sorted(profiles.items(), key=lambda pair: pair[1].casefold()),
        "line": listed_lines(),
    }


def listed_lines() -> list[tuple[str, str]]:
    """The generic lines (code, label) of the certificates of conformity in force, by label (one
    query, over the distinct lines only)."""
    # One row per line of each certificate (a set-returning function; both keys read the same row).
    element = Func(F("stated_lines"), function="jsonb_array_elements", output_field=JSONField())
    lines = valid_conformity_certificates().annotate(
        line_code=KeyTextTransform("code", element), line_label=KeyTextTransform("label", element)
    )
    labels = {}
    for code, label in lines.order_by().values_list("line_code", "line_label").distinct():
        labels.setdefault(code, label)
    return sorted(labels.items(), key=lambda pair: pair[1].casefold())


# --- One product's public page ------------------------------------------------------------------------
@dataclass(frozen=True)
class HistoryEntry:
    """One document of a product's public history: issued, and revoked when it was."""

    kind_label: str
    display_code: str
    version_label: str
    referential: str
    profiles_reached: list[str]
    lines: list[str]  # the labels of the lines a certificate of conformity covers
    issued_at: object
    revoked_at: object
    revocation_reason: str

    @property
    def verify_path(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.display_code})


@dataclass(frozen=True)
class PublicProduct:
    public_id: str
    name: str
    company_name: str
    history: list[HistoryEntry]

    @property
    def is_listed(self) -> bool:
        return any(entry.revoked_at is None for entry in self.history)


def public_product(*, public_id) -> PublicProduct:
    """A product that holds or held a public document (attestation, certificate of conformity), named
    as its latest document states it, with every document issued (newest first, revoked ones with
    their date, certificates with their lines); 404 for any other product, so the page reveals
    nothing of products never attested (two queries)."""
    product = Product.objects.filter(public_id=public_id).values_list("pk", flat=True).first()
    if product is None:
        raise Http404("Produit introuvable.")
    documents = list(
        Certificate.objects.filter(
            assessment__product_version__product_id=product,
            kind__in=LISTED_KINDS,
            status=Certificate.Status.READY,
        )
        .order_by("-rendered_at", "-pk")
        .values("kind", "code", "snapshot", "rendered_at", "revoked_at", "revocation_reason")
    )
    if not documents:
        raise Http404("Produit introuvable.")
    latest = documents[0]["snapshot"]
    history = [
        HistoryEntry(
            kind_label=Certificate.Kind(document["kind"]).label,
            display_code=format_code(document["code"]),
            version_label=document["snapshot"]["version"]["label"],
            referential=_referential(document["snapshot"]["questionnaire"]),
            profiles_reached=profiles_reached(document["snapshot"].get("profiles")),
            lines=line_labels(document["snapshot"].get("lines")),
            issued_at=document["rendered_at"],
            revoked_at=document["revoked_at"],
            revocation_reason=document["revocation_reason"],
        )
        for document in documents
    ]
    return PublicProduct(
        public_id=str(public_id),
        name=latest["product"]["display_name"],
        company_name=latest["company"]["name"],
        history=history,
    )


def _referential(questionnaire: dict) -> str:
    return f"{questionnaire['title']} (version {questionnaire['version']})"


# --- Subscriptions ------------------------------------------------------------------------------------
def subscribable_product(*, public_id) -> Product:
    """A product one may subscribe to: one with a public page (it holds or held an attestation or a
    certificate of conformity); 404 for any other (one query)."""
    attested = Certificate.objects.filter(
        assessment__product_version__product=OuterRef("pk"),
        kind__in=LISTED_KINDS,
        status=Certificate.Status.READY,
    )
    product = Product.objects.filter(Exists(attested), public_id=public_id).first()
    if product is None:
        raise Http404("Produit introuvable.")
    return product


def subscriber_counts() -> QuerySet[Product]:
    """The products with at least one subscriber, with their number of (confirmed) subscribers,
    most followed first, for the agency: counts only, never the addresses (one query per page)."""
    counts = (
        Subscription.objects.filter(product_id=OuterRef("pk"))
        .order_by()
        .values("product_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Product.objects.select_related("company")
        .annotate(subscribers=Subquery(counts, output_field=IntegerField()))
        .filter(subscribers__gt=0)
        .order_by("-subscribers", "name", "pk")
    )
