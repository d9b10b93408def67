"""Figures ("moyennes de maturité") over the latest validated assessment of each product.

Levels are only comparable inside one questionnaire version, so every figure is for one version.
A product counts once: its most recently validated assessment of that version. Every function
runs a constant number of queries, whatever the number of products or items.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from assessments.models import Answer, Assessment, State
from assessments.selectors import structure
from questionnaires import levels as vocabulary
from questionnaires.models import QuestionnaireVersion

# Below this many other companies, an average could point at one of them: it is not shown to vendors.
MIN_PEER_COMPANIES = 5
UNANSWERED = vocabulary.UNANSWERED_LEVEL


def latest_validated(*, version: QuestionnaireVersion) -> QuerySet[Assessment]:
    """The latest validated assessment of each product for ``version`` (DISTINCT ON the product)."""
    return (
        Assessment.objects.filter(state=State.VALIDATED, questionnaire_version=version)
        .order_by("product_version__product_id", "-validated_at", "-pk")
        .distinct("product_version__product_id")
    )


def statistics_versions() -> list[QuestionnaireVersion]:
    """Questionnaire versions with at least one validated assessment, newest first (one query)."""
    return list(
        QuestionnaireVersion.objects.filter(assessments__state=State.VALIDATED)
        .select_related("questionnaire")
        .distinct()
        .order_by("questionnaire__title", "-number")
    )


@dataclass
class Distribution:
    """How many products answered each level (codes of the scale, then "na" and unanswered)."""

    code: str
    title: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Figures:
    version: QuestionnaireVersion
    products: int
    levels: list[dict]
    profiles: list[dict]
    sections: list[Distribution]
    items: list[Distribution]


def version_figures(*, version: QuestionnaireVersion) -> Figures:
    """Products per profile reached, and the level distribution per item and per section (3 queries,
    plus the definition's when not cached)."""
    struct = structure(version.pk)
    latest = latest_validated(version=version)
    reached = list(latest.values_list("reached_profiles", flat=True))
    rows = (
        Answer.objects.filter(assessment__in=latest.values("pk"))
        .values("item_id", "level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_item: dict[int, dict[str, int]] = {}
    for row in rows:
        by_item.setdefault(row["item_id"], {})[row["level"]] = row["count"]
    items, sections = [], []
    for section in struct.sections:
        section_counts: dict[str, int] = {}
        for item in section["items"]:
            counts = by_item.get(item["id"], {})
            items.append(Distribution(code=item["code"], title=item["title"], counts=counts))
            for level, count in counts.items():
                section_counts[level] = section_counts.get(level, 0) + count
        sections.append(Distribution(code=section["code"], title=section["title"], counts=section_counts))
    profiles = [
        {"code": code, "label": rule.get("label", code), "count": sum(code in row for row in reached)}
        for code, rule in struct.profile_rules.items()
    ]
    return Figures(
        version=version,
        products=len(reached),
        levels=level_scale(struct),
        profiles=profiles,
        sections=sections,
        items=items,
    )


def level_scale(struct) -> list[dict]:
    """The scale in order, then N/A and unanswered: what every distribution is split into."""
    return [
        *(
            {"code": level["code"], "label": level["label"], "colour": level["colour"]}
            for level in struct.levels
        ),
        *(
            {"code": level["code"], "label": level["label"], "colour": level["colour"]}
            for level in vocabulary.outside_scale()
        ),
    ]


# --- The vendor's comparison --------------------------------------------------------------------------
@dataclass
class SectionComparison:
    code: str
    title: str
    own: float | None  # maturity score 0–100 of the product, None when nothing rated
    average: float | None


def section_comparison(*, assessment: Assessment) -> dict:
    """The product's maturity per section next to the anonymous average of its peers: the latest
    validated assessment of every product of the *other* companies on the same questionnaire version.

    The average is shown only when at least MIN_PEER_COMPANIES distinct companies other than the
    product's own contribute: with fewer, a vendor who knows its own answers (and perhaps a partner's)
    could work out a competitor's. The product's own company counts neither towards that threshold
    nor in the average, however many products it has.

    The score of a set of answers is the mean rank of their levels over the top rank, in percent
    (N/A and unanswered items left out). Returns {"available": bool, "companies": n, "products": n,
    "sections": [SectionComparison]}; ``available`` is false (and ``sections`` empty) under the
    threshold. Three queries (the assessment's product must be loaded, as ``product_comparisons`` does).
    """
    version_id = assessment.questionnaire_version_id
    peers = latest_validated(version=QuestionnaireVersion(pk=version_id)).exclude(
        product_version__product__company_id=assessment.product_version.product.company_id
    )
    counts = Assessment.objects.filter(pk__in=peers.values("pk")).aggregate(
        products=Count("pk"), companies=Count("product_version__product__company_id", distinct=True)
    )
    if counts["companies"] < MIN_PEER_COMPANIES:
        return {"available": False, **counts, "sections": []}
    struct = structure(version_id)
    section_of = {item["id"]: section["code"] for section in struct.sections for item in section["items"]}
    everyone = _scores(
        Answer.objects.filter(assessment__in=peers.values("pk"))
        .values_list("item_id", "level")
        .annotate(count=Count("pk"))
        .order_by(),
        section_of,
        struct.level_ranks,
    )
    own = _scores(
        (
            (item_id, level, 1)
            for item_id, level in Answer.objects.filter(assessment=assessment).values_list("item_id", "level")
        ),
        section_of,
        struct.level_ranks,
    )
    sections = [
        SectionComparison(
            code=section["code"],
            title=section["title"],
            own=own.get(section["code"]),
            average=everyone.get(section["code"]),
        )
        for section in struct.sections
    ]
    return {"available": True, **counts, "sections": sections}


def _scores(rows, section_of: dict[int, str], ranks: dict[str, int]) -> dict[str, float]:
    """{section code: score} from (item id, level, how many) rows."""
    top = max(ranks.values(), default=0) or 1
    sums: dict[str, list[int]] = {}
    for item_id, level, count in rows:
        if level in ranks and item_id in section_of:
            total = sums.setdefault(section_of[item_id], [0, 0])
            total[0] += ranks[level] * count
            total[1] += count
    return {code: round(100 * rank_sum / (count * top)) for code, (rank_sum, count) in sums.items()}


def product_comparisons(*, product) -> list[dict]:
    """``section_comparison`` of the product's latest validated assessment of each questionnaire
    version (one query, then three per questionnaire version: bounded by the referential, not by
    the number of rows)."""
    latest = (
        Assessment.objects.filter(state=State.VALIDATED, product_version__product=product)
        .select_related("questionnaire_version__questionnaire", "product_version__product")
        .order_by("questionnaire_version_id", "-validated_at", "-pk")
        .distinct("questionnaire_version_id")
    )
    return [{"assessment": assessment, **section_comparison(assessment=assessment)} for assessment in latest]
