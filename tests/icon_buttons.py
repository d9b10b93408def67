"""Finds DSFR buttons that a page shows as icons only although they carry a text label.

In a ``fr-btns-group`` without ``fr-btns-group--icon-left`` (or ``-right``), DSFR shrinks every button
with an ``fr-icon-*`` class to its icon and hides its text: the label must be made visible by the group.
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, is a group that shrinks icon buttons)
        self.hidden: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        icon_button = "fr-btn" in classes and any(c.startswith("fr-icon-") for c in classes)
        if icon_button and any(shrinks for _, shrinks in self.stack):
            self.hidden.append(" ".join(classes))
        if tag not in VOID:
            shrinks = "fr-btns-group" in classes and not any(
                c in classes for c in ("fr-btns-group--icon-left", "fr-btns-group--icon-right")
            )
            self.stack.append((tag, shrinks))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def icon_only_buttons(page: str) -> list[str]:
    """The class lists of the icon buttons whose label the page hides (the header's tools excepted)."""
    body = page.split("</header>", 1)[-1]
    parser = _Parser()
    parser.feed(body)
    return parser.hidden
