"""Plain data for the questionnaire templates, computed in Python once per request.

The section page renders up to ~40 items and the full view 300: one loop (``includes/items.html``)
over these rows, with every id, label and state already worked out, because template logic and
per-item ``{% include %}`` dominate the rendering time. An editable item's form is assembled by
``markup.editable_item`` (see why there); the read-only rendering is inlined in the template.
"""

from django.urls import reverse
from django.utils import timezone

from assessments.selectors import AnswerData, is_complete
from core.templatetags.maturity import text_colour
from portal.assessments import markup
from portal.assessments.markup import anchor
from questionnaires.models import NA_LEVEL

NA_LABEL = "Non applicable"
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def person(answer: AnswerData, viewer=None) -> str:
    if answer.updated_by_id is None:
        return "une personne"
    if viewer is not None and answer.updated_by_id == viewer.pk:
        return "vous"
    name = f"{answer.first_name or ''} {answer.last_name or ''}".strip()
    return name or answer.email or ""


def when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} à {local:%H:%M}"


def section_menu(assessment, progress: dict, current: int | None) -> list[dict]:
    """The side menu's entries: sections with an applicable item, each with its link and its figures
    already as text (one ``reverse`` for all, and no number localisation in the template: measured,
    the menu cost more than the 40 items of a section)."""
    base = reverse("portal:assessments:section", args=[assessment.public_id, 0])[: -len("0/")]
    return [
        {
            "index": str(section["index"]),
            "label": f"{section['code']} {section['title']}",
            "url": f"{base}{section['index']}/",
            "figures": f"{section['answered']}/{section['total']}",
            "active": section["index"] == current,
        }
        for section in progress["sections"]
        if section["total"]
    ]


def level_scale(struct) -> list[dict]:
    return [{**level, "text": text_colour(level["colour"])} for level in struct.levels]


def item_rows(
    *, assessment, struct, items, answers: dict[int, AnswerData], comments=None, viewer=None, editable=True
) -> list[dict]:
    """One dict per item with everything the item markup shows."""
    scale = {level["code"]: level for level in level_scale(struct)}
    comments = comments or {}
    save_base = reverse("portal:assessments:answer_save", args=[assessment.public_id, "CODE"])[
        : -len("CODE/")
    ]
    return [
        item_row(
            item,
            answers.get(item["id"]),
            struct=struct,
            scale=scale,
            save_base=save_base,
            comments=comments,
            viewer=viewer,
            editable=editable,
        )
        for item in items
    ]


def item_row(
    item, answer: AnswerData | None, *, struct, scale, save_base, comments, viewer, editable=True
) -> dict:
    level = answer.level if answer else ""
    current = scale.get(level)
    justification = answer.justification if answer else ""
    saved = answer is not None and answer.revision > 0
    row = {
        "code": item["code"],
        "anchor": anchor(item["code"]),
        "title": item["title"],
        "help_text": item.get("help_text", ""),
        "reference": item.get("reference", ""),
        "na_allowed": item["na_allowed"],
        "na_checked": level == NA_LEVEL,
        "level": level,
        "level_label": current["label"] if current else (NA_LABEL if level == NA_LEVEL else ""),
        "level_colour": current["colour"] if current else "",
        "level_text": current["text"] if current else "",
        "justification": justification,
        "comment": answer.comment if answer else "",
        "revision": answer.revision if answer else 0,
        "saved_by": person(answer, viewer) if saved else "",
        "saved_at": when(answer.updated_at) if saved else "",
        "complete": is_complete(level, justification),
        "save_url": f"{save_base}{item['code']}/",
        "review_comments": comments.get(item["id"], []),
    }
    row["html"] = markup.editable_item(row, version_id=struct.version_id) if editable else ""
    return row
