"""Readable text on a coloured background: the one contrast computation of the project (WCAG 2).

Pure, no Django import: the PDF renderer, the pages and the charts all call it, so a colour an author
picks in a questionnaire file is drawn with the same text colour everywhere.
"""

DARK_TEXT = "#161616"  # the DSFR's default text colour
LIGHT_TEXT = "#ffffff"


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``colour`` (#RRGGBB); ValueError when it is not one."""
    if not isinstance(colour, str) or len(colour) != 7 or colour[0] != "#":
        raise ValueError(colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """DARK_TEXT or LIGHT_TEXT, whichever contrasts more with ``background`` (dark on anything that
    is not a colour, which the questionnaire import refuses anyway)."""
    try:
        dark, light = contrast_ratio(background, DARK_TEXT), contrast_ratio(background, LIGHT_TEXT)
    except ValueError:
        return DARK_TEXT
    return DARK_TEXT if dark >= light else LIGHT_TEXT
