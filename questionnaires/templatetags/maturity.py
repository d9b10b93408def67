"""Repeated widgets of the maturity pages: a coloured level badge, a progress bar, profile badges.

Level colours come from the questionnaire data, those of N/A and of no answer from
``questionnaires.levels``; the text colour is chosen there for contrast (WCAG) so any colour an author
picks stays readable.
"""

from django import template
from django.template import engines
from markupsafe import Markup

from questionnaires import levels as vocabulary

register = template.Library()
PROFILE_PANEL_TEMPLATE = "questionnaire/profile_panel.html"


@register.filter
def text_colour(colour: str) -> str:
    """Black or white, whichever contrasts more with the background ``colour`` (#RRGGBB)."""
    return vocabulary.readable_text_colour(colour)


@register.inclusion_tag("core/includes/level_badge.html")
def level_badge(code: str, levels) -> dict:
    """``{% level_badge answer.level levels %}`` with ``levels`` the version's scale (dicts or rows)."""
    if code in (vocabulary.NA_LEVEL, vocabulary.UNANSWERED_LEVEL):
        outside = next(level for level in vocabulary.outside_scale() if level["code"] == code)
        kind = "na" if code == vocabulary.NA_LEVEL else "unanswered"
        return {"label": outside["label"], "kind": kind, "colour": outside["colour"], "text": outside["text"]}
    for level in levels:
        level_code = level["code"] if isinstance(level, dict) else level.code
        if level_code == code:
            colour = level["colour"] if isinstance(level, dict) else level.colour
            label = level["label"] if isinstance(level, dict) else level.label
            return {
                "label": f"{code} — {label}",
                "kind": "level",
                "colour": colour,
                "text": vocabulary.readable_text_colour(colour),
            }
    return {"label": code, "kind": "unknown"}


@register.simple_tag
def progress_bar(done: int, total: int, label: str = "Progression") -> Markup:
    """``{% progress_bar done total label %}``: the Jinja2 template the questionnaire's fragments use."""
    env = engines["jinja2"].env
    return env.globals["progress_bar"](env, done, total, label)


@register.simple_tag
def profile_panel(profiles: dict) -> Markup:
    """``{% profile_panel assessment.profiles %}``: the computed profiles, through the Jinja2 template
    the answer save's response uses too."""
    return Markup(engines["jinja2"].env.get_template(PROFILE_PANEL_TEMPLATE).render(profiles=profiles))


@register.inclusion_tag("core/includes/profile_badges.html")
def profile_badges(reached, labels=None, provisional=False) -> dict:
    """Badges of the profiles reached (codes), labelled with ``labels`` ({code: label}) when given.
    ``provisional``: the answers are not validated by the agency (a draft, a submission under review),
    so the profiles are only aimed at ("visés"), not reached."""
    labels = labels or {}
    return {
        "profiles": [labels.get(code, code.capitalize()) for code in reached or ()],
        "provisional": provisional,
    }
