"""Snapshot → HTML → PDF, with WeasyPrint, local files only.

Nothing here reads the database: a document is a pure function of its snapshot, its verification
code and the template version. Fonts are shipped in ``certificates/fonts``; the URL fetcher refuses
anything else, so a render never reaches the network.
"""

from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from certificates.codes import format_code
from certificates.snapshot import ATTESTATION, CONFORMITE, NA, RAPPORT, UNANSWERED
from questionnaires.levels import (
    NA_COLOUR,
    NA_LABEL,
    UNANSWERED_COLOUR,
    UNANSWERED_LABEL,
    readable_text_colour,
)

# Stored on each certificate: a layout change gets a new version, old snapshots keep their meaning.
TEMPLATE_VERSION = "2026.1"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
TEMPLATES = {
    ATTESTATION: "certificates/pdf/attestation.html",
    RAPPORT: "certificates/pdf/rapport.html",
    CONFORMITE: "certificates/pdf/conformite.html",
}
# Archival (PDF/A-3b) and tagged for screen readers.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}
DRAFT_WATERMARK = "document de travail, non validé"
FETCH_REFUSED = (
    "Ressource refusée pendant le rendu (seuls les fichiers locaux de l'application sont permis) : {url}"
)
QR_MASK_PATTERN = 4


class LocalFileFetcher(URLFetcher):
    """Serves files under ``certificates/fonts`` only; any other URL stops the render."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        path = local_font_path(url)
        if path is None:
            raise ValueError(FETCH_REFUSED.format(url=url))
        # Fetch the very file that was checked, not a URL the opener would decode again.
        return super().fetch(path.as_uri(), headers)


def local_font_path(url: str) -> Path | None:
    """The shipped font file a ``file:`` URL names, or None.

    The path is percent-decoded exactly as urllib's file handler decodes it (``%2e%2e`` is ``..``)
    and resolved before the allow-list check, so an encoded traversal cannot leave the fonts.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    return path if path.is_relative_to(FONTS_DIR) else None


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/verifier/{format_code(code)}"


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as one SVG path, each run of dark modules in a row drawn as one rectangle.

    A fixed mask pattern spares qrcode trying all eight (any mask is valid for readers), and merged
    runs make a path a few times shorter than one square per module: both show in the render time.
    """
    code = qrcode.QRCode(border=0, mask_pattern=QR_MASK_PATTERN)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    commands = [
        f"M{start},{y}h{length}v1h-{length}z"
        for y, row in enumerate(matrix)
        for start, length in _dark_runs(row)
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="Code QR vers la page de vérification"><path fill="#000" d="{"".join(commands)}"/></svg>'
    )


def _dark_runs(row: list[bool]):
    start = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            yield start, x - start
            start = None


def snapshot_date(value: str | None):
    return timezone.localtime(datetime.fromisoformat(value)) if value else None


def level_styles(snapshot: dict) -> list[dict]:
    """Every bucket a section count can fall in, in display order, with its colours and label."""
    buckets = [(lv["code"], lv["label"], lv["colour"]) for lv in snapshot["levels"]]
    buckets += [(NA, NA_LABEL, NA_COLOUR), (UNANSWERED, UNANSWERED_LABEL, UNANSWERED_COLOUR)]
    return [
        {"code": code, "label": label, "colour": colour, "text_colour": readable_text_colour(colour)}
        for code, label, colour in buckets
    ]


def bar_segments(counts: dict, styles: list[dict], width: float = 100.0) -> list[dict]:
    """Stacked horizontal bar: one segment per non-empty bucket, widths summing to ``width``."""
    total = sum(counts.get(style["code"], 0) for style in styles)
    segments, x = [], 0.0
    for style in styles:
        count = counts.get(style["code"], 0)
        if total and count:
            share = width * count / total
            segments.append({**style, "count": count, "x": round(x, 3), "width": round(share, 3)})
            x += share
    return segments


def section_rows(snapshot: dict, styles: list[dict]) -> list[dict]:
    by_code = {style["code"]: style for style in styles}
    rows = []
    for section in snapshot["sections"]:
        counts = section["counts"]
        rows.append(
            {
                "code": section["code"],
                "title": section["title"],
                "total": sum(counts.values()),
                "segments": bar_segments(counts, styles),
                "items": [_item_row(item, by_code) for item in section.get("items", [])],
            }
        )
    return rows


def _item_row(item: dict, by_code: dict) -> dict:
    code = item["level"] or UNANSWERED
    label = by_code[code]["label"] if code in by_code else item["level"]
    return {**item, "level_code": code if code in by_code else NA, "level_label": label}


def document_context(snapshot: dict, code: str) -> dict:
    url = verification_url(code)
    context = {
        "snapshot": snapshot,
        "draft": snapshot["draft"],
        "watermark": DRAFT_WATERMARK,
        "validated_at": snapshot_date(snapshot["validated_at"]),
        "issued_at": snapshot_date(snapshot["issued_at"]),
        "code": format_code(code),
        "verification_url": url,
        "qr_svg": mark_safe(qr_svg(url)),
        "fonts_url": FONTS_DIR.as_uri(),
        "template_version": TEMPLATE_VERSION,
    }
    if snapshot["kind"] == CONFORMITE:
        # A certificate of conformity states its lines, not levels per section nor profiles.
        return context | {"lines": snapshot["lines"]}
    styles = level_styles(snapshot)
    return context | {
        "styles": styles,
        "sections": section_rows(snapshot, styles),
        # Stored as jsonb, whose key order is not kept: sort for a stable document.
        "profiles": sorted(snapshot["profiles"].values(), key=lambda profile: profile["label"]),
    }


def document_html(snapshot: dict, code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATES[snapshot["kind"]], document_context(snapshot, code))


@cache
def font_configuration() -> FontConfiguration:
    # One per process: the @font-face files are decoded and registered once, not at every render.
    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=LocalFileFetcher())
    return document.write_pdf(font_config=font_configuration(), **PDF_OPTIONS)


def render_pdf(snapshot: dict, code: str) -> bytes:
    """The PDF of a snapshot; deterministic in content for a given snapshot, code and template."""
    return html_to_pdf(document_html(snapshot, code))
