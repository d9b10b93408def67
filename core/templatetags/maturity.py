"""Repeated widgets of the maturity pages: a coloured level badge, a progress bar, profile badges.

Level colours come from the questionnaire data; the text colour is chosen for contrast (WCAG AA)
so any colour an author picks stays readable.
"""

from django import template

register = template.Library()

NA_LABEL = "Non applicable"
UNANSWERED_LABEL = "Sans réponse"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@register.filter
def text_colour(colour: str) -> str:
    """Black or white, whichever contrasts more with the background ``colour`` (#RRGGBB)."""
    try:
        luminance = _luminance(colour)
    except (TypeError, ValueError, IndexError):
        return "#161616"
    return "#161616" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


@register.inclusion_tag("core/includes/level_badge.html")
def level_badge(code: str, levels) -> dict:
    """``{% level_badge answer.level levels %}`` with ``levels`` the version's scale (dicts or rows)."""
    if not code:
        return {"label": UNANSWERED_LABEL, "kind": "unanswered"}
    if code == "na":
        return {"label": NA_LABEL, "kind": "na"}
    for level in levels:
        level_code = level["code"] if isinstance(level, dict) else level.code
        if level_code == code:
            colour = level["colour"] if isinstance(level, dict) else level.colour
            label = level["label"] if isinstance(level, dict) else level.label
            return {
                "label": f"{code} — {label}",
                "kind": "level",
                "colour": colour,
                "text": text_colour(colour),
            }
    return {"label": code, "kind": "unknown"}


@register.inclusion_tag("core/includes/progress_bar.html")
def progress_bar(done: int, total: int, label: str = "Progression") -> dict:
    percent = round(100 * done / total) if total else 100
    return {"done": done, "total": total, "percent": percent, "label": label}


@register.inclusion_tag("core/includes/profile_badges.html")
def profile_badges(reached, labels=None) -> dict:
    """Badges of the profiles reached (codes), labelled with ``labels`` ({code: label}) when given."""
    labels = labels or {}
    return {"profiles": [labels.get(code, code.capitalize()) for code in reached or ()]}
