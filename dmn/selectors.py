"""Reads on DMN candidatures: the access helpers (a member of the owning company, or a reviewer once
the candidature was submitted; 404 for anyone else), the lists and what a candidature page shows.

Every function runs a constant number of queries, whatever the number of candidatures or lines.
"""

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from assessments.models import Answer, State
from assessments.selectors import answer_values, assessment_progress, missing_items
from assessments.services import answer_gaps
from companies.selectors import member_of, of_member
from dmn.models import Candidature, CandidatureLine, CandidatureTransition, Capacity, DeviceCapacity, Line
from products.models import Product, ProductVersion
from proofs.selectors import missing_proofs

_COMPANY = "product_version__product__company"
NOT_FOUND = "Aucune candidature DMN de vos entreprises ne correspond."
# The agency sees a candidature once it has been submitted, as for an assessment.
REVIEWABLE_STATES = [state for state in State.values if state != State.DRAFT]
REFERENTIAL_LABEL = "Référentiel d'interopérabilité et de sécurité"


# Lines are shown in the order of the referential's list (diabète first), not of their codes.
LINE_ORDER = Case(*(When(line=code, then=Value(rank)) for rank, code in enumerate(Line.values)))


def _line_rows() -> Prefetch:
    rows = CandidatureLine.objects.select_related("assessment__questionnaire_version__questionnaire").defer(
        "assessment__questionnaire_version__profile_rules"
    )
    return Prefetch("lines", queryset=rows.order_by(LINE_ORDER, "pk"))


def candidature_for_member(*, user, public_id) -> Candidature:
    """A candidature of a company where ``user`` is an active member, with that membership as
    ``membership``, its product version and product, its referential's assessment and its lines with
    their assessments (2 queries); 404 for anyone else."""
    candidatures = (
        of_member(Candidature.objects, user, company=_COMPANY)
        .select_related(
            "product_version__product",
            "carried_from__product_version",
            "referential__questionnaire_version__questionnaire",
        )
        .defer("referential__questionnaire_version__profile_rules")
        .prefetch_related(_line_rows())
    )
    try:
        candidature = candidatures.get(public_id=public_id)
    except (Candidature.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404(NOT_FOUND) from error
    candidature.membership = member_of(candidature, company=_COMPANY)
    return candidature


def candidature_for_reviewer(*, public_id) -> Candidature:
    """A candidature submitted at least once, for agency reviewers (the view checks the role and the
    second factor), with what its page shows (2 queries); a never-submitted draft is a 404."""
    candidatures = (
        Candidature.objects.filter(state__in=REVIEWABLE_STATES)
        .select_related(
            _COMPANY,
            "reviewer",
            "carried_from__product_version",
            "referential__questionnaire_version__questionnaire",
        )
        .defer("referential__questionnaire_version__profile_rules")
        .prefetch_related(_line_rows())
    )
    try:
        return candidatures.get(public_id=public_id)
    except (Candidature.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Aucune candidature DMN soumise ne correspond.") from error


def assessment_candidatures(assessment) -> list[Candidature]:
    """The candidatures an assessment of a DMN questionnaire belongs to (one query): the referential's
    is shared by the candidatures of a version filed one per line."""
    candidatures = Candidature.objects.filter(Q(referential=assessment) | Q(lines__assessment=assessment))
    return list(candidatures.select_related("product_version").distinct().order_by("created_at", "pk"))


def candidature_questionnaires(candidature: Candidature) -> list[dict]:
    """The referential, then each line, with its assessment and its progress (one query for the
    answers of all of them; the candidature comes from one of the access helpers above).

    ``[{"label", "line" (code or ""), "assessment", "progress"}]``."""
    rows = [{"label": REFERENTIAL_LABEL, "line": "", "assessment": candidature.referential}]
    rows += [
        {"label": row.get_line_display(), "line": row.line, "assessment": row.assessment}
        for row in candidature.lines.all()
    ]
    values: dict[int, dict[int, tuple[str, str]]] = {row["assessment"].pk: {} for row in rows}
    answers = Answer.objects.filter(assessment_id__in=list(values)).values_list(
        "assessment_id", "item_id", "level", "justification"
    )
    for assessment_id, item_id, level, justification in answers:
        values[assessment_id][item_id] = (level, justification)
    for row in rows:
        row["progress"] = assessment_progress(row["assessment"], values[row["assessment"].pk])
    return rows


def candidature_history(candidature: Candidature) -> list[CandidatureTransition]:
    """The candidature's transitions, oldest first, with who made each (one query)."""
    return list(candidature.transitions.select_related("actor").order_by("at", "pk"))


def _listed(candidatures: QuerySet) -> QuerySet:
    return candidatures.select_related("product_version__product").annotate(
        line_codes=ArrayAgg("lines__line", order_by="lines__line", default=[])
    )


def line_labels(codes) -> list[str]:
    """The labels of the lines ``codes`` names, in the referential's order."""
    return [Line(code).label for code in Line.values if code in codes]


def company_candidatures(*, company) -> QuerySet[Candidature]:
    """The company's candidatures, newest first, each with its product version and ``line_codes``
    (one query per page)."""
    candidatures = Candidature.objects.filter(product_version__product__company=company)
    return _listed(candidatures).order_by("-created_at", "-pk")


def product_candidatures(*, product) -> QuerySet[Candidature]:
    return _listed(Candidature.objects.filter(product_version__product=product)).order_by(
        "-created_at", "-pk"
    )


def product_dmn_summary(*, product) -> dict:
    """The capacity the company declared for the product (a ``Capacity`` value or "") and how many
    candidatures its versions have (one query)."""
    capacity = DeviceCapacity.objects.filter(product=OuterRef("pk")).values("capacity")[:1]
    row = (
        Product.objects.filter(pk=product.pk)
        .annotate(declared=Subquery(capacity), candidatures=Count("versions__dmn_candidatures"))
        .values("declared", "candidatures")
        .first()
    ) or {"declared": None, "candidatures": 0}
    declared = row["declared"] or ""
    return {
        "capacity": declared,
        "capacity_label": Capacity(declared).label if declared in Capacity.values else "",
        "is_operator": declared == Capacity.OPERATOR,
        "candidatures": row["candidatures"],
    }


def declared_capacity(*, product) -> str:
    """The capacity declared for the product, or "" (one query)."""
    return DeviceCapacity.objects.filter(product=product).values_list("capacity", flat=True).first() or ""


def sibling_candidatures(candidature: Candidature) -> list[Candidature]:
    """The other candidatures of the same product version (one query): for a vendor who filed one per
    line, the lines that need not be submitted again."""
    others = Candidature.objects.filter(product_version_id=candidature.product_version_id).exclude(
        pk=candidature.pk
    )
    return list(_listed(others).order_by("created_at", "pk"))


def renewal_versions(candidature: Candidature) -> list[ProductVersion]:
    """The other versions of the candidature's product, newest first (one query): where a new
    candidature may start from this one."""
    versions = ProductVersion.objects.filter(product_id=candidature.product_version.product_id)
    return list(versions.exclude(pk=candidature.product_version_id).order_by("-created_at", "-pk"))


def review_candidatures(*, state: str = "") -> QuerySet[Candidature]:
    """The candidatures the agency has received, oldest submission first, filtered by state (one
    query per page)."""
    candidatures = Candidature.objects.filter(state__in=REVIEWABLE_STATES)
    if state in REVIEWABLE_STATES:
        candidatures = candidatures.filter(state=state)
    return (
        _listed(candidatures)
        .select_related("product_version__product__company", "reviewer")
        .order_by("submitted_at", "pk")
    )


def review_state_counts() -> dict[str, int]:
    """How many candidatures each reviewable state holds (one query)."""
    rows = Candidature.objects.filter(state__in=REVIEWABLE_STATES).values_list("state").annotate(Count("pk"))
    counts = dict.fromkeys(REVIEWABLE_STATES, 0)
    counts.update(dict(rows))
    return counts


def submission_gaps(candidature: Candidature) -> list[dict]:
    """What blocks the submission of each questionnaire still editable (the candidature from an access
    helper): ``[{"label", "assessment", "missing": [{"code", "title", "section", "section_index",
    "reason", "proofs"}]}]``, only the incomplete ones. A page's explanation after a refused
    submission; ``services.candidature_submit`` decides (through ``proofs.services.assessment_submit``)."""
    gaps = []
    for row in candidature_questionnaires(candidature):
        assessment = row["assessment"]
        if not assessment.is_editable:
            continue
        values = answer_values(assessment)
        entries = missing_items(assessment, values) + missing_proofs(assessment, values)
        entries += answer_gaps(assessment)
        if entries:
            gaps.append({"label": row["label"], "assessment": assessment, "missing": _merged(entries)})
    return gaps


def _merged(entries: list[dict]) -> list[dict]:
    """One entry per item (answer and proofs together), in the order found."""
    merged: dict[str, dict] = {}
    for entry in entries:
        if (known := merged.get(entry["code"])) is None:
            merged[entry["code"]] = {**entry, "proofs": bool(entry.get("proofs"))}
        else:
            known["reason"] += f" ; {entry['reason']}"
            known["proofs"] = known["proofs"] or bool(entry.get("proofs"))
    return sorted(merged.values(), key=lambda entry: (entry["section_index"], entry["code"]))
