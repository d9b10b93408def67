"""PDF rendering from a snapshot alone: content read back with pypdf, page 1 rasterised by pdftoppm."""

import io
import re
import subprocess

import pytest
import qrcode
from django.conf import settings
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from certificates import rendering
from certificates.snapshot import RAPPORT
from tests.certificates.snapshots import make_snapshot
from tests.system import require_debian_tool

CODE = "ABCDEFGHIJKLMNOP"


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def attestation_pdf():
    return rendering.render_pdf(make_snapshot(), CODE)


@pytest.fixture(scope="module")
def draft_report_pdf():
    return rendering.render_pdf(make_snapshot(kind=RAPPORT, items=300, draft=True), CODE)


def test_attestation_states_product_company_profiles_and_code(attestation_pdf):
    text = flat(" ".join(pdf_text(attestation_pdf)))
    assert "Dossier Patient Horizon Windows Site Web" in text
    assert "Éditions Médicales de l'Ouest" in text and "732829320" in text
    assert "Administration NON ATTEINT (1 condition remplie sur 2)" in text
    assert "Alimentation ATTEINT (4 conditions remplies sur 4)" in text
    assert "Consultation NON ATTEINT (3 conditions remplies sur 4)" in text
    assert "ABCD-EFGH-IJKL-MNOP" in text
    assert f"{settings.SITE_URL}/verifier/ABCD-EFGH-IJKL-MNOP" in text.replace(" ", "")


def test_attestation_fits_on_one_or_two_numbered_pages(attestation_pdf):
    pages = pdf_text(attestation_pdf)
    assert 1 <= len(pages) <= 2
    assert f"Page 1 sur {len(pages)}" in flat(pages[0])


def test_attestation_is_not_a_draft(attestation_pdf):
    assert not any("non validé" in flat(page) for page in pdf_text(attestation_pdf))


def test_report_lists_every_item_with_its_comment_and_justification(draft_report_pdf):
    snapshot = make_snapshot(kind=RAPPORT, items=300, draft=True)
    text = flat(" ".join(pdf_text(draft_report_pdf)))
    items = [item for section in snapshot["sections"] for item in section["items"]]
    assert len(items) == 300
    for item in items:
        assert f"{item['code']} " in text
    assert "Cas d'usage non couvert par le produit" in text
    assert "A08.5.23 est au niveau orange ; il faut au moins jaune." in text


def test_draft_report_is_marked_on_every_page(draft_report_pdf):
    pages = pdf_text(draft_report_pdf)
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert rendering.DRAFT_WATERMARK.upper() in flat(page).upper(), f"page {number}"


def test_pdf_is_archival_and_tagged(attestation_pdf):
    reader = PdfReader(io.BytesIO(attestation_pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()
    assert 'pdfaid:part="3"' in raw and 'pdfaid:conformance="B"' in raw
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"


def test_fonts_are_the_shipped_marianne_embedded(attestation_pdf):
    reader = PdfReader(io.BytesIO(attestation_pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Marianne" in name for name in fonts)


def test_first_page_is_not_blank(attestation_pdf, tmp_path):
    require_debian_tool("pdftoppm", package="poppler-utils")
    pdf_path = tmp_path / "attestation.pdf"
    pdf_path.write_bytes(attestation_pdf)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    (image,) = tmp_path.glob("p*.pgm")
    pixels = image.read_bytes().split(b"\n", 3)[3]  # P5 header: magic, size, maxval
    dark = sum(1 for value in pixels if value < 128)
    assert dark > len(pixels) * 0.01


def test_draft_watermark_absent_from_validated_report():
    pdf = rendering.render_pdf(make_snapshot(kind=RAPPORT, items=20), CODE)
    assert not any(rendering.DRAFT_WATERMARK.upper() in flat(page).upper() for page in pdf_text(pdf))


def test_section_bar_widths_follow_the_counts():
    styles = rendering.level_styles(make_snapshot())
    segments = rendering.bar_segments({"rouge": 1, "vert": 3, "na": 0, "sans_reponse": 0}, styles)
    assert [(s["code"], s["width"]) for s in segments] == [("rouge", 25.0), ("vert", 75.0)]
    assert segments[1]["x"] == 25.0
    assert rendering.bar_segments({"rouge": 0}, styles) == []


def test_network_resources_are_refused():
    with pytest.raises(ValueError, match="Ressource refusée"):
        rendering.LocalFileFetcher().fetch("http://example.com/logo.png")
    with pytest.raises(ValueError, match="Ressource refusée"):
        rendering.LocalFileFetcher().fetch("file:///etc/passwd")
    with pytest.raises(FatalURLFetchingError):
        rendering.html_to_pdf('<p>Logo</p><img src="http://127.0.0.1:9/logo.png">')


@pytest.mark.parametrize(
    "tail",
    [
        "/%2e%2e/rendering.py",
        "/%2E%2E/%2E%2E/certificates/rendering.py",
        "/..%2frendering.py",
        "/%2e%2e%2frendering.py",
        "/Marianne-Bold.woff2/%2e%2e/%2e%2e/rendering.py",
    ],
)
def test_percent_encoded_traversal_out_of_the_fonts_is_refused(tail):
    # Each URL names certificates/rendering.py once decoded, as the file handler decodes it.
    url = rendering.FONTS_DIR.as_uri() + tail
    with pytest.raises(ValueError, match="Ressource refusée"):
        rendering.LocalFileFetcher().fetch(url)


def test_fonts_are_fetched_even_with_harmless_encoding():
    url = rendering.FONTS_DIR.as_uri() + "/Marianne%2DBold.woff2"
    response = rendering.LocalFileFetcher().fetch(url)
    assert response.read(4) == b"wOF2"


def test_file_urls_of_another_host_are_refused():
    url = "file://example.com" + str(rendering.FONTS_DIR / "Marianne-Bold.woff2")
    with pytest.raises(ValueError, match="Ressource refusée"):
        rendering.LocalFileFetcher().fetch(url)


def test_special_characters_in_names_are_escaped_not_interpreted():
    snapshot = make_snapshot(product='Dossier <b>"Santé"</b> & Cie')
    html = rendering.document_html(snapshot, CODE)
    assert "Dossier &lt;b&gt;&quot;Santé&quot;&lt;/b&gt; &amp; Cie" in html
    assert 'Dossier <b>"Santé"</b> & Cie' in flat(" ".join(pdf_text(rendering.html_to_pdf(html))))


def test_every_page_carries_the_company_code_and_page_number(draft_report_pdf):
    pages = pdf_text(draft_report_pdf)
    for number, page in enumerate(pages, start=1):
        text = flat(page)
        assert "Éditions Médicales de l'Ouest" in text, f"page {number}"
        assert f"Code de vérification ABCD-EFGH-IJKL-MNOP Page {number} sur {len(pages)}" in text


def test_qr_code_path_draws_exactly_the_qr_matrix():
    url = "http://127.0.0.1:8000/verifier/ABCD-EFGH-IJKL-MNOP"
    code = qrcode.QRCode(border=0, mask_pattern=rendering.QR_MASK_PATTERN)
    code.add_data(url)
    code.make(fit=True)
    expected = code.get_matrix()
    drawn = [[False] * len(expected) for _ in expected]
    for x, y, length in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\3z", rendering.qr_svg(url)):
        for column in range(int(x), int(x) + int(length)):
            drawn[int(y)][column] = True
    assert drawn == expected


def test_documents_name_the_questionnaire_by_title_and_version_not_its_code(
    attestation_pdf, draft_report_pdf
):
    for pdf in (attestation_pdf, draft_report_pdf):
        text = flat(" ".join(pdf_text(pdf)))
        assert "Interopérabilité — version 1" in text
        assert "référentiel A08" not in text
