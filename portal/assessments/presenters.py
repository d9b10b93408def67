"""Plain data for the questionnaire templates, computed in Python once per request.

The section page renders up to ~40 items and the full view 300: the per-item markup is inlined in one
loop (``includes/items.html``) over these rows, with every id, label and state already worked out,
because template logic and per-item ``{% include %}`` dominate the rendering time.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from assessments.selectors import is_complete
from core.templatetags.maturity import text_colour
from questionnaires.models import NA_LEVEL

NA_LABEL = "Non applicable"


def anchor(code: str) -> str:
    return "item-" + code.replace(".", "-")


def person(user, viewer=None) -> str:
    if user is None:
        return "une personne"
    if viewer is not None and user.pk == viewer.pk:
        return "vous"
    return user.get_full_name() or user.email


def level_scale(struct) -> list[dict]:
    return [{**level, "text": text_colour(level["colour"])} for level in struct.levels]


def item_rows(*, assessment, struct, items, answers, comments=None, viewer=None) -> list[dict]:
    """One dict per item with everything the item markup shows (answers: {item id: Answer})."""
    scale = level_scale(struct)
    comments = comments or {}
    save_base = reverse("portal:assessments:answer_save", args=[assessment.public_id, "CODE"])[
        : -len("CODE/")
    ]
    return [
        item_row(
            item, answers.get(item["id"]), scale=scale, save_base=save_base, comments=comments, viewer=viewer
        )
        for item in items
    ]


def item_row(item, answer, *, scale, save_base, comments, viewer) -> dict:
    anchor_id = anchor(item["code"])
    level = answer.level if answer else ""
    descriptions = item.get("level_descriptions") or {}
    choices = [
        {
            "code": level_data["code"],
            "label": level_data["label"],
            "colour": level_data["colour"],
            "text": level_data["text"],
            "description": descriptions.get(level_data["code"], ""),
            "id": f"{anchor_id}-{level_data['code']}",
            "checked": level == level_data["code"],
        }
        for level_data in scale
    ]
    current = next((choice for choice in choices if choice["checked"]), None)
    justification = answer.justification if answer else ""
    return {
        "code": item["code"],
        "anchor": anchor_id,
        "title": item["title"],
        "help_text": item.get("help_text", ""),
        "reference": item.get("reference", ""),
        "na_allowed": item["na_allowed"],
        "na_checked": level == NA_LEVEL,
        "na_description": descriptions.get(NA_LEVEL, ""),
        "choices": choices,
        "level": level,
        "level_label": current["label"] if current else (NA_LABEL if level == NA_LEVEL else ""),
        "level_colour": current["colour"] if current else "",
        "level_text": current["text"] if current else "",
        "justification": justification,
        "comment": answer.comment if answer else "",
        "revision": answer.revision if answer else 0,
        "saved_by": person(answer.updated_by, viewer) if answer and answer.revision else "",
        "saved_at": _when(answer.updated_at) if answer and answer.revision else "",
        "complete": is_complete(level, justification),
        "save_url": f"{save_base}{item['code']}/",
        "review_comments": comments.get(answer.item_id, []) if answer else [],
    }


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y à H:i")


def needs_expression_url() -> str:
    return settings.NEEDS_EXPRESSION_URL
