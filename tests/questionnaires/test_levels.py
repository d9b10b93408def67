"""One vocabulary for levels (questionnaires/levels.py): the code, words and colours of « non
applicable » and « sans réponse », and the text colour on every level, are the ones the pages, the
PDF documents, the review back office and the statistics use."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import reverse

from assessments import figures
from assessments.models import Answer
from assessments.selectors import assessment_structure
from certificates import rendering
from certificates.snapshot import RAPPORT
from companies.models import Role
from core.colours import contrast_ratio
from instruction import selectors as review_selectors
from questionnaires.levels import (
    NA_COLOUR,
    NA_LABEL,
    NA_LEVEL,
    UNANSWERED_COLOUR,
    UNANSWERED_LABEL,
    UNANSWERED_LEVEL,
    outside_scale,
    readable_text_colour,
)
from tests.assessments.factories import QUALIFIED, AssessmentFactory, questionnaire_version
from tests.certificates.snapshots import make_snapshot
from tests.companies.factories import CompanyFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

NA_STYLE = f"background-color:{NA_COLOUR};color:{readable_text_colour(NA_COLOUR)}"
UNANSWERED_STYLE = f"background-color:{UNANSWERED_COLOUR};color:{readable_text_colour(UNANSWERED_COLOUR)}"


def shipped_level_colours() -> set[str]:
    colours = set()
    for path in (Path(settings.BASE_DIR) / "questionnaires" / "definitions").glob("*/v*.yaml"):
        colours |= {level["colour"] for level in yaml.safe_load(path.read_text())["levels"]}
    return colours


def test_every_badge_text_is_readable_on_its_colour():
    colours = shipped_level_colours() | {NA_COLOUR, UNANSWERED_COLOUR}
    assert len(colours) >= 6
    for colour in colours:
        assert contrast_ratio(colour, readable_text_colour(colour)) >= 4.5, colour


def test_outside_scale_is_na_then_unanswered():
    assert [(level["code"], level["label"], level["colour"]) for level in outside_scale()] == [
        (NA_LEVEL, NA_LABEL, NA_COLOUR),
        (UNANSWERED_LEVEL, UNANSWERED_LABEL, UNANSWERED_COLOUR),
    ]


@pytest.fixture
def answered(db):
    """An assessment with one N/A answer, one level and the rest unanswered."""
    company = CompanyFactory()
    assessment = AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=company)),
        questionnaire_version=questionnaire_version(items=8, sections=1),
        qualification=QUALIFIED,
    )
    Answer.objects.filter(assessment=assessment, item__code="A08.5.01").update(
        level=NA_LEVEL, justification="Pas de production de documents.", revision=1
    )
    Answer.objects.filter(assessment=assessment, item__code="A08.3.1").update(level="vert", revision=1)
    return assessment


def test_read_only_items_show_the_vocabulary_badges(vendor_client_factory, answered):
    client = vendor_client_factory(role=Role.SALARIE, company=answered.product_version.product.company)
    html = client.get(reverse("portal:assessments:full", args=[answered.public_id])).content.decode()
    assert f'style="{NA_STYLE}">{NA_LABEL}</span>' in html
    assert f'style="{UNANSWERED_STYLE}">{UNANSWERED_LABEL}</span>' in html
    assert f"background-color:#18753C;color:{readable_text_colour('#18753C')}" in html


def test_answerable_item_offers_na_in_the_vocabulary_words(vendor_client_factory, answered):
    client = vendor_client_factory(role=Role.SALARIE, company=answered.product_version.product.company)
    html = client.get(reverse("portal:assessments:section", args=[answered.public_id, 0])).content.decode()
    assert f'value="{NA_LEVEL}" checked>' in html and f"<span>{NA_LABEL}</span>" in html


def test_level_badge_tag_uses_the_vocabulary():
    from django.template import Context, Template

    template = Template("{% load maturity %}{% level_badge code levels %}")
    assert NA_STYLE in template.render(Context({"code": NA_LEVEL, "levels": []}))
    assert UNANSWERED_STYLE in template.render(Context({"code": UNANSWERED_LEVEL, "levels": []}))


def test_stylesheet_defines_no_colour_of_its_own_for_na_or_unanswered():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "assessments.css").read_text()
    rules = [line for line in css.splitlines() if ".cv-level--" in line]
    assert rules and not any(re.search(r"#[0-9a-fA-F]{3,6}\b", rule) for rule in rules)


def test_pdf_report_colours_are_the_vocabulary():
    html = rendering.document_html(make_snapshot(kind=RAPPORT, items=20), "ABCDEFGHIJKLMNOP")
    assert f".lv-na {{ background: {NA_COLOUR}; color: {readable_text_colour(NA_COLOUR)}; }}" in html
    assert (
        f".lv-sans_reponse {{ background: {UNANSWERED_COLOUR}; color: {readable_text_colour(UNANSWERED_COLOUR)}; }}"
        in html
    )
    assert NA_LABEL in html and UNANSWERED_LABEL in html
    assert ".lv-vert { background: #18753C; color: #ffffff; }" in html


def test_review_and_statistics_use_the_vocabulary(answered):
    rows = {
        row.item["code"]: row
        for section in review_selectors.instruction_sections(answered)
        for row in section.rows
    }
    assert (rows["A08.5.01"].level["colour"], rows["A08.5.01"].level["label"]) == (NA_COLOUR, NA_LABEL)
    assert (rows["A08.4.1"].level["colour"], rows["A08.4.1"].level["label"]) == (
        UNANSWERED_COLOUR,
        UNANSWERED_LABEL,
    )
    scale = figures.level_scale(assessment_structure(answered))
    assert scale[-2:] == [
        {"code": level["code"], "label": level["label"], "colour": level["colour"]}
        for level in outside_scale()
    ]
