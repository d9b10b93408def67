"""Plain data for the questionnaire templates, computed in Python once per request.

The section page renders up to ~40 items and the full view 300: the per-item markup is inlined in one
loop (``includes/items.html``) over these rows, with every id, label and state already worked out,
because template logic and per-item ``{% include %}`` dominate the rendering time. The level radios
(4–5 per item, the bulk of the markup) are assembled here from fragments escaped once per published
questionnaire version.
"""

from functools import lru_cache
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from assessments.selectors import AnswerData, is_complete, structure
from core.templatetags.maturity import text_colour
from questionnaires.models import NA_LEVEL

NA_LABEL = "Non applicable"
NA_HINT = "Une justification écrite est obligatoire."
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


def anchor(code: str) -> str:
    return "item-" + code.replace(".", "-")


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


def level_scale(struct) -> list[dict]:
    return [{**level, "text": text_colour(level["colour"])} for level in struct.levels]


@lru_cache(maxsize=8192)
def _radio_parts(version_id: int, code: str) -> tuple[tuple[str, str, str], ...]:
    """(value, markup before " checked", markup after) for each radio of an item, escaped once
    (memoised per published version, which never changes)."""
    struct = structure(version_id)
    item = struct.items_by_code[code]
    descriptions = item.get("level_descriptions") or {}
    prefix = anchor(code)
    options = [
        (
            level["code"],
            f"{level['code'].capitalize()} — {level['label']}",
            descriptions.get(level["code"], ""),
            level["colour"],
        )
        for level in struct.levels
    ]
    if item["na_allowed"]:
        options.append((NA_LEVEL, NA_LABEL, descriptions.get(NA_LEVEL) or NA_HINT, ""))
    parts = []
    for value, label, description, colour in options:
        element_id = f"{prefix}-{value}"
        swatch = (
            f'<span class="cv-swatch" style="background-color:{escape(colour)}" aria-hidden="true"></span>'
            if colour
            else ""
        )
        hint = f'<span class="fr-hint-text">{escape(description)}</span>' if description else ""
        before = (
            f'<div class="fr-fieldset__element"><div class="fr-radio-group">'
            f'<input type="radio" id="{element_id}" name="level" value="{escape(value)}"'
        )
        after = f'><label class="fr-label" for="{element_id}"><span>{swatch}{escape(label)}</span>{hint}</label></div></div>'
        parts.append((value, before, after))
    return tuple(parts)


def radios(struct, code: str, level: str) -> str:
    parts = _radio_parts(struct.version_id, code)
    return mark_safe(
        "".join(f"{before}{' checked' if value == level else ''}{after}" for value, before, after in parts)
    )


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
    return {
        "code": item["code"],
        "anchor": anchor(item["code"]),
        "title": item["title"],
        "help_text": item.get("help_text", ""),
        "reference": item.get("reference", ""),
        "na_allowed": item["na_allowed"],
        "na_checked": level == NA_LEVEL,
        "radios": radios(struct, item["code"], level) if editable else "",
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


def needs_expression_url() -> str:
    return settings.NEEDS_EXPRESSION_URL
