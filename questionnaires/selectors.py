"""Reads on questionnaire definitions.

``version_definition`` is on the hot path (every answer save recomputes profiles), so it returns plain
data built in a constant number of queries and memoised per process: a published version never
changes (the database refuses it), so the memo never goes stale. Drafts are never memoised.
"""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from questionnaires.models import Item, Questionnaire, QuestionnaireVersion

_definitions: dict[int, dict] = {}


def version_definition(version_id: int) -> dict:
    """The whole definition of a version as plain data (5 queries the first time, 0 afterwards).

    Keys: ``id``, ``public_id``, ``questionnaire`` ({code, title, theme}), ``number``, ``status``,
    ``levels`` (ordered by rank: {code, label, colour, rank}), ``level_ranks`` ({code: rank}),
    ``qualification_questions`` ([{code, text, kind, choices, help_text}]), ``sections``
    ([{id, code, title, items: [item]}]), ``items`` ({code: item}, in order), ``profile_rules``.
    An item is {id, code, title, help_text, reference, section (its code), na_allowed,
    level_descriptions, applicability, na_condition, declaration_condition, wave}; ``carry_over`` is
    the version's mapping from the previous one (see the model). The result is shared between callers: treat it as read-only.
    ``status`` is as first read: a version retired since may still say "published" (never "draft").
    """
    if (cached := _definitions.get(version_id)) is not None:
        return cached
    version = (
        QuestionnaireVersion.objects.select_related("questionnaire")
        .prefetch_related("levels", "qualification_questions", "sections", _items_prefetch())
        .get(pk=version_id)
    )
    definition = _as_data(version)
    if version.is_frozen:
        _definitions[version_id] = definition
    return definition


_frozen_versions: dict[int, QuestionnaireVersion] = {}


def version_with_questionnaire(version_id: int) -> QuestionnaireVersion:
    """The version with its questionnaire, without its profile rules: what a page header names. Memoised
    per process once frozen, like ``version_definition`` (the instance is shared between callers: treat
    it as read-only; ``status`` is as first read)."""
    if (cached := _frozen_versions.get(version_id)) is not None:
        return cached
    version = (
        QuestionnaireVersion.objects.select_related("questionnaire").defer("profile_rules").get(pk=version_id)
    )
    if version.is_frozen:
        _frozen_versions[version_id] = version
    return version


def published_version(code: str, number: int | None = None) -> QuestionnaireVersion:
    """The published version ``number`` of questionnaire ``code``, or its latest published version.

    Raises ``QuestionnaireVersion.DoesNotExist``. A retired version is still returned when asked for
    by number (documents and assessments keep pointing at it), never as the latest.
    """
    versions = QuestionnaireVersion.objects.select_related("questionnaire").filter(questionnaire__code=code)
    if number is not None:
        return versions.exclude(status=QuestionnaireVersion.Status.DRAFT).get(number=number)
    latest = versions.filter(status=QuestionnaireVersion.Status.PUBLISHED).order_by("-number").first()
    if latest is None:
        raise QuestionnaireVersion.DoesNotExist(f"Aucune version publiée du questionnaire « {code} ».")
    return latest


def questionnaires_with_versions():
    """Every questionnaire with its versions (newest first, with ``item_count``): 2 queries."""
    versions = QuestionnaireVersion.objects.annotate(item_count=Count("items")).order_by("-number")
    return Questionnaire.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by("title")


def version_for_reviewer(*, public_id) -> QuestionnaireVersion:
    """A version for the back office (definitions are not tenant data: every reviewer sees them)."""
    return get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"), public_id=public_id
    )


def _items_prefetch() -> Prefetch:
    return Prefetch("items", queryset=Item.objects.only(*ITEM_FIELDS, "version_id", "section_id", "order"))


ITEM_FIELDS = (
    "code",
    "title",
    "help_text",
    "reference",
    "na_allowed",
    "level_descriptions",
    "applicability",
    "na_condition",
    "declaration_condition",
    "wave",
)


def _as_data(version: QuestionnaireVersion) -> dict:
    sections = {
        section.pk: {"id": section.pk, "code": section.code, "title": section.title, "items": []}
        for section in version.sections.all()
    }
    items = {}
    for item in version.items.all():
        section = sections[item.section_id]
        data = {
            "id": item.pk,
            **{field: getattr(item, field) for field in ITEM_FIELDS},
            "section": section["code"],
        }
        section["items"].append(data)
        items[item.code] = data
    levels = [
        {"code": level.code, "label": level.label, "colour": level.colour, "rank": level.rank}
        for level in version.levels.all()
    ]
    return {
        "id": version.pk,
        "public_id": str(version.public_id),
        "questionnaire": {
            "code": version.questionnaire.code,
            "title": version.questionnaire.title,
            "theme": version.questionnaire.theme,
        },
        "number": version.number,
        "status": version.status,
        "levels": levels,
        "level_ranks": {level["code"]: level["rank"] for level in levels},
        "qualification_questions": [
            {
                "code": question.code,
                "text": question.text,
                "kind": question.kind,
                "choices": question.choices,
                "help_text": question.help_text,
            }
            for question in version.qualification_questions.all()
        ],
        "sections": list(sections.values()),
        "items": items,
        "profile_rules": dict(
            sorted(version.profile_rules.items(), key=lambda entry: entry[1].get("order", 0))
        ),
        "carry_over": version.carry_over,
    }
