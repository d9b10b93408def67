"""The editable item of the questionnaire, assembled in Python.

Measured with bench/questionnaire.py: a 40-item section rendered through the template engine spent
about half of its time resolving the ~1,000 variables of the item markup. Here the parts that never
change for a published questionnaire version (legend, help, reference, the level radios, the
justification label) are escaped once and memoised; per request only the answer's values are
escaped and joined. The read-only rendering stays in ``templates/portal/assessments/includes/items.html``.
"""

from functools import lru_cache
from html import escape

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from assessments.selectors import structure
from questionnaires.models import NA_LEVEL

NA_LABEL = "Non applicable"
NA_HINT = "Une justification écrite est obligatoire."
# "cv-typed" comes from static/js/convergence.js (typing in a textarea): a trigger filter such as
# input[target.tagName==='TEXTAREA'] is code htmx evaluates, which the Content-Security-Policy forbids.
TRIGGER = "change, cv-typed delay:1200ms, retry"
JUSTIFICATION_LABEL = (
    'Justification de la non-applicabilité (obligatoire)<span class="fr-hint-text">Expliquez pourquoi '
    "l'exigence ne s'applique pas au produit. Si votre cas d'usage n'est pas couvert par le CI-SIS, "
    'signalez-le aussi à l\'agence par son <a href="{url}" target="_blank" rel="noopener" '
    "title=\"formulaire d'expression de besoin — nouvelle fenêtre\">formulaire d'expression de besoin</a>.</span>"
)


def anchor(code: str) -> str:
    return "item-" + code.replace(".", "-")


@lru_cache(maxsize=8192)
def _head(version_id: int, code: str) -> str:
    """Legend (code, title, help) and reference of an item: escaped once per published version."""
    item = structure(version_id).items_by_code[code]
    prefix = anchor(code)
    hint = f'<span class="fr-hint-text">{escape(item["help_text"])}</span>' if item.get("help_text") else ""
    reference = (
        f'<p class="cv-item__meta fr-fieldset__element">Référence : {escape(item["reference"])}</p>'
        if item.get("reference")
        else ""
    )
    return (
        f'<legend class="fr-fieldset__legend fr-text--lg" id="{prefix}-legend"><span class="cv-item__code">'
        f"{escape(code)}</span>{escape(item['title'])}{hint}</legend>{reference}"
    )


@lru_cache(maxsize=8192)
def _radio_parts(version_id: int, code: str) -> tuple[tuple[str, str, str], ...]:
    """(value, markup before " checked", markup after) for each radio of an item, escaped once."""
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
            '<div class="fr-fieldset__element"><div class="fr-radio-group">'
            f'<input type="radio" id="{element_id}" name="level" value="{escape(value)}"'
        )
        after = f'><label class="fr-label" for="{element_id}"><span>{swatch}{escape(label)}</span>{hint}</label></div></div>'
        parts.append((value, before, after))
    return tuple(parts)


def radios(version_id: int, code: str, level: str) -> str:
    return "".join(
        f"{before}{' checked' if value == level else ''}{after}"
        for value, before, after in _radio_parts(version_id, code)
    )


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _review_comments(comments) -> str:
    return "".join(
        '<div class="cv-review-comment"><p class="fr-text--sm fr-mb-0"><strong>Remarque de l\'instructeur</strong> '
        f"({comment.created_at:%d/%m/%Y}) : {_lines(comment.body)}</p></div>"
        for comment in comments
    )


def editable_item(row: dict, *, version_id: int) -> SafeString:
    """The whole autosaving form of one item (``row`` from ``presenters.item_row``)."""
    prefix = row["anchor"]
    na_block = ""
    if row["na_allowed"]:
        shown = " cv-item__na--shown" if row["na_checked"] else ""
        label = JUSTIFICATION_LABEL.format(url=escape(settings.NEEDS_EXPRESSION_URL))
        na_block = (
            f'<div class="cv-item__na{shown} fr-input-group fr-mb-2w">'
            f'<label class="fr-label" for="{prefix}-justification">{label}</label>'
            f'<textarea class="fr-input" id="{prefix}-justification" name="justification" rows="2" maxlength="5000">'
            f"{escape(row['justification'])}</textarea></div>"
        )
    saved = (
        f'<span class="cv-item__meta">Enregistré par {escape(row["saved_by"])} le {escape(row["saved_at"])}</span>'
        if row["saved_by"]
        else ""
    )
    return mark_safe(
        f'<form class="cv-item" id="{prefix}" hx-post="{escape(row["save_url"])}" hx-trigger="{TRIGGER}" '
        f'hx-sync="this:queue last" hx-target="#{prefix}-status" hx-swap="innerHTML">'
        f'<input type="hidden" name="revision" value="{row["revision"]}" id="{prefix}-revision">'
        f'<fieldset class="fr-fieldset fr-mb-0" id="{prefix}-levels" aria-labelledby="{prefix}-legend">'
        f"{_head(version_id, row['code'])}{radios(version_id, row['code'], row['level'])}</fieldset>"
        f"{na_block}"
        f'<div class="fr-input-group fr-mb-0"><label class="fr-label" for="{prefix}-comment">Commentaire (facultatif)</label>'
        f'<textarea class="fr-input" id="{prefix}-comment" name="comment" rows="2" maxlength="5000">'
        f"{escape(row['comment'])}</textarea></div>"
        f"{_review_comments(row['review_comments'])}"
        f'<p class="cv-item__status" id="{prefix}-status" role="status">{saved}</p></form>'
    )
