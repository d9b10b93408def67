"""The vocabulary of an answer's level, defined once: the code, words and colours of the two answers
outside a questionnaire's scale (non applicable, sans réponse), and the text colour of every badge.

The scale itself (codes, labels, colours, order) is data, in each questionnaire file; what is here is
the same for every questionnaire. Pure (no Django import): the profile rule engine uses it too.
Pages, PDF documents and charts take their words and colours from here, never their own copy.
"""

from core.colours import readable_text_colour

NA_LEVEL = "na"  # "non applicable": outside the level order, never a Level row
UNANSWERED_LEVEL = ""  # what an answer not given yet stores
NA_LABEL = "Non applicable"
UNANSWERED_LABEL = "Sans réponse"
NA_HINT = "Une justification écrite est obligatoire."
# Neutral greys (DSFR palette): neither may read as a maturity level.
NA_COLOUR = "#929292"
UNANSWERED_COLOUR = "#E5E5E5"

__all__ = [
    "NA_COLOUR",
    "NA_HINT",
    "NA_LABEL",
    "NA_LEVEL",
    "UNANSWERED_COLOUR",
    "UNANSWERED_LABEL",
    "UNANSWERED_LEVEL",
    "level_label",
    "outside_scale",
    "readable_text_colour",
    "with_text_colour",
]


def with_text_colour(levels) -> list[dict]:
    """The scale's levels ({code, label, colour, …}) each with its readable ``text`` colour."""
    return [{**level, "text": readable_text_colour(level["colour"])} for level in levels]


def outside_scale() -> list[dict]:
    """Non applicable then unanswered, shaped like the scale's levels (code, label, colour, text)."""
    return [
        {"code": code, "label": label, "colour": colour, "text": readable_text_colour(colour)}
        for code, label, colour in (
            (NA_LEVEL, NA_LABEL, NA_COLOUR),
            (UNANSWERED_LEVEL, UNANSWERED_LABEL, UNANSWERED_COLOUR),
        )
    ]


def level_label(code: str, labels: dict[str, str]) -> str:
    """The words for an answer's level: the scale's label, or those of N/A and of no answer."""
    if code == NA_LEVEL:
        return NA_LABEL
    if code == UNANSWERED_LEVEL:
        return UNANSWERED_LABEL
    return labels.get(code, code)
