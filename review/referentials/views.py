"""Back office: the referentials (questionnaire definitions) as readable documents."""

from django.shortcuts import render

from accounts.access import reviewer_required
from questionnaires.comparison import compare
from questionnaires.levels import NA_LABEL, NA_LEVEL
from questionnaires.models import QuestionnaireVersion
from questionnaires.profiles import describe
from questionnaires.selectors import (
    published_version,
    questionnaires_with_versions,
    version_definition,
    version_for_reviewer,
)


@reviewer_required
def questionnaire_list(request):
    context = {"questionnaires": questionnaires_with_versions()}
    return render(request, "review/referentials/questionnaire_list.html", context)


@reviewer_required
def version_detail(request, public_id):
    version = version_for_reviewer(public_id=public_id)
    definition = version_definition(version.pk)
    words = _Words(definition)
    context = {
        "version": version,
        "definition": definition,
        "sections": [words.section(section) for section in definition["sections"]],
        "profiles": [words.profile(code, profile) for code, profile in definition["profile_rules"].items()],
        "item_count": len(definition["items"]),
        "has_previous": version.number > 1,
    }
    return render(request, "review/referentials/version_detail.html", context)


@reviewer_required
def version_comparison(request, public_id):
    """What changed from the version this one continues (its ``carry_over.from``, else the previous)."""
    version = version_for_reviewer(public_id=public_id)
    definition = version_definition(version.pk)
    number = (definition.get("carry_over") or {}).get("from", version.number - 1)
    context = {"version": version, "definition": definition, "previous": None}
    try:
        previous = published_version(version.questionnaire.code, number) if number >= 1 else None
    except QuestionnaireVersion.DoesNotExist:
        previous = None
    if previous is not None:
        old = version_definition(previous.pk)
        context |= {"previous": old, "comparison": compare(old, definition)}
    return render(request, "review/referentials/version_comparison.html", context)


class _Words:
    """The definition turned into what the page shows; the shared definition itself is never mutated."""

    def __init__(self, definition: dict):
        self.levels = [*definition["levels"], {"code": NA_LEVEL, "label": NA_LABEL}]
        self.labels = {
            question["code"]: question["text"] for question in definition["qualification_questions"]
        }
        self.top = definition["levels"][-1]["code"] if definition["levels"] else None

    def describe(self, tree) -> str:
        return describe(tree, qualification_labels=self.labels, top=self.top)

    def section(self, section: dict) -> dict:
        return {**section, "items": [self.item(item) for item in section["items"]]}

    def item(self, item: dict) -> dict:
        descriptions = item["level_descriptions"]
        return {
            **item,
            "descriptions": [
                {"code": level["code"], "text": descriptions[level["code"]]}
                for level in self.levels
                if level["code"] in descriptions
            ],
            "applicability_text": self.describe(item["applicability"]) if item["applicability"] else "",
        }

    def profile(self, code: str, profile: dict) -> dict:
        rule = profile["rule"]
        conditions = (
            [self.describe(child) for child in rule["all"]] if "all" in rule else [self.describe(rule)]
        )
        return {"code": code, "label": profile["label"], "conditions": conditions}
