"""The questionnaire items' Jinja2 widgets: hostile texts (item codes, titles, help, references, level
labels and descriptions, answers, reviewer remarks) are escaped, never executed nor evaluated, in the
answerable and the read-only item; an undefined variable is an error, not an empty string."""

from datetime import UTC, datetime
from types import SimpleNamespace

import jinja2
import pytest
from django.urls import reverse

from assessments.models import Answer
from assessments.selectors import answer_data, assessment_structure
from companies.models import Role
from portal.assessments import presenters
from questionnaires.models import Item, Level, Section
from questionnaires.services import questionnaire_version_publish
from tests.assessments.factories import QUALIFIED, AssessmentFactory, questionnaire_version
from tests.companies.factories import CompanyFactory
from tests.products.factories import ProductFactory, ProductVersionFactory

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
HOSTILE = [SCRIPT, IMAGE, "{{ 7*7 }}", "{% debug %}"]


def qualified_assessment(version):
    """A qualified assessment of ``version`` by a new company."""
    return AssessmentFactory(
        product_version=ProductVersionFactory(product=ProductFactory(company=CompanyFactory())),
        questionnaire_version=version,
        qualification=QUALIFIED,
    )


@pytest.fixture
def hostile_assessment():
    """An assessment whose first filler items carry a hostile code, title, help text, reference and
    level descriptions, with hostile answers; the levels' labels are hostile too."""
    version = questionnaire_version(items=10, sections=1, publish=False)
    Level.objects.filter(version=version, code="rouge").update(label=IMAGE)
    Level.objects.filter(version=version, code="vert").update(label=SCRIPT)
    fillers = Item.objects.filter(version=version, code__startswith="X.").order_by("order")
    for item, text in zip(fillers, HOSTILE, strict=False):
        item.code, item.title, item.help_text, item.reference = text, text, text, text
        item.level_descriptions = {"rouge": text, "vert": text, "na": text}
        item.save()
    questionnaire_version_publish(version=version)
    assessment = qualified_assessment(version)
    for level, text in zip(["na", "rouge", "vert", "na"], HOSTILE, strict=True):
        Answer.objects.filter(assessment=assessment, item__code=text).update(
            level=level, justification=text, comment=text, revision=1
        )
    return assessment


def assert_escaped(html: str):
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # Texts are data, not templates: shown as typed, never evaluated.
    assert "{{ 7*7 }}" in html and "{% debug %}" in html


def page(client, name, assessment, *args) -> str:
    response = client.get(reverse(f"portal:assessments:{name}", args=[assessment.public_id, *args]))
    assert response.status_code == 200
    return response.content.decode()


def test_hostile_texts_are_escaped_in_the_answerable_item(vendor_client_factory, hostile_assessment):
    client = vendor_client_factory(
        role=Role.SALARIE, company=hostile_assessment.product_version.product.company
    )
    struct = assessment_structure(hostile_assessment)
    index = next(i for i, s in enumerate(struct.sections) if any(it["code"] == SCRIPT for it in s["items"]))
    html = page(client, "section", hostile_assessment, index)
    assert 'data-hx-trigger="change, cv-typed delay:1200ms, retry"' in html
    assert_escaped(html)


def test_hostile_texts_are_escaped_in_the_read_only_item(vendor_client_factory, hostile_assessment):
    client = vendor_client_factory(
        role=Role.SALARIE, company=hostile_assessment.product_version.product.company
    )
    html = page(client, "full", hostile_assessment)
    assert 'class="cv-item"' in html and "<form" not in html.split('id="item-A08-3-1"')[1]
    assert_escaped(html)


@pytest.mark.parametrize("editable", [True, False])
def test_hostile_reviewer_remarks_and_answers_are_escaped(hostile_assessment, editable):
    struct = assessment_structure(hostile_assessment)
    items = [item for item in struct.items if item["code"] in HOSTILE]
    # A vendor's reply in the thread, whose author's name is hostile too.
    replier = SimpleNamespace(pk=2, is_reviewer=False, email="", get_full_name=lambda: SCRIPT)
    reply = SimpleNamespace(created_at=datetime(2026, 3, 5, tzinfo=UTC), body=IMAGE, author=replier)
    remark = SimpleNamespace(
        pk=1,
        author=SimpleNamespace(pk=1, is_reviewer=True),
        created_at=datetime(2026, 3, 4, tzinfo=UTC),
        body=f"{SCRIPT}\n{IMAGE} {{{{ 7*7 }}}}",
        thread_replies=[reply],
    )
    rows = presenters.item_rows(
        assessment=hostile_assessment,
        struct=struct,
        items=items,
        answers=answer_data(hostile_assessment),
        comments={items[0]["id"]: [remark]},
        editable=editable,
    )
    html = str(presenters.items_html(rows, editable=editable))
    assert_escaped(html)
    if editable:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in html  # the remark, its lines kept


def test_an_undefined_variable_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        presenters.items_html([{"anchor": "item-x"}], editable=False)


def test_a_read_only_item_showing_only_its_level_is_escaped_when_reused(
    vendor_client_factory, hostile_assessment
):
    # The item whose code and title are an <img> tag, answered "rouge" (a hostile label) without any
    # comment: its markup is rendered once per version, item and level, then reused.
    Answer.objects.filter(assessment=hostile_assessment, item__code=IMAGE).update(comment="")
    client = vendor_client_factory(
        role=Role.SALARIE, company=hostile_assessment.product_version.product.company
    )
    for _ in range(2):
        html = page(client, "full", hostile_assessment)
        assert "<img src=x" not in html
        assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # the code, the title, the level


def test_reused_read_only_items_are_those_the_widget_renders(hostile_assessment):
    """The full view reuses the markup of items showing only their level: it is the widget's own, and
    an item of the same version, code and level with more to show (a comment, an N/A) is rendered."""
    struct = assessment_structure(hostile_assessment)
    other = AssessmentFactory(
        product_version=ProductVersionFactory(
            product=ProductFactory(company=hostile_assessment.product_version.product.company)
        ),
        questionnaire_version=hostile_assessment.questionnaire_version,
        qualification=QUALIFIED,
    )
    Answer.objects.filter(assessment=hostile_assessment, item__code__startswith="A08").update(
        level="jaune", comment="", revision=1
    )
    Answer.objects.filter(assessment=other, item__code__startswith="A08").update(
        level="jaune", comment="Un commentaire de l'autre évaluation", revision=1
    )

    def rows_of(assessment):
        return presenters.item_rows(
            assessment=assessment,
            struct=struct,
            items=struct.items,
            answers=answer_data(assessment, saved_by=False),
            editable=False,
        )

    plain = str(presenters.items_html(rows_of(hostile_assessment), editable=False))
    reused = str(
        presenters.items_html(rows_of(hostile_assessment), editable=False, version_id=struct.version_id)
    )
    assert reused == plain
    commented = str(presenters.items_html(rows_of(other), editable=False, version_id=struct.version_id))
    assert commented.count("Un commentaire de l&#39;autre évaluation") == sum(
        1 for item in struct.items if item["code"].startswith("A08")
    )


def test_blank_text_areas_reused_are_those_the_widgets_render(hostile_assessment):
    """The answerable item reuses its empty justification and comment areas (rendered once per item
    code): the widgets' own markup, escaped for a hostile code, and never for an item with a text."""
    struct = assessment_structure(hostile_assessment)
    Answer.objects.filter(assessment=hostile_assessment, item__code__in=[SCRIPT, IMAGE]).update(
        justification="", comment=""
    )

    def rows_of():
        return presenters.item_rows(
            assessment=hostile_assessment,
            struct=struct,
            items=struct.items,
            answers=answer_data(hostile_assessment),
            editable=True,
        )

    rows = rows_of()
    by_code = {row["code"]: row for row in rows}
    assert by_code[SCRIPT]["blank_justification"] and by_code[IMAGE]["blank_comment"]
    assert by_code["{{ 7*7 }}"]["blank_comment"] is None  # a comment is written: rendered with it
    assert by_code["{{ 7*7 }}"]["blank_justification"] is None
    plain = [row | {"blank_justification": None, "blank_comment": None} for row in rows_of()]
    for _ in range(2):  # rendered, then reused
        reused = str(presenters.items_html(rows_of(), editable=True))
        assert reused == str(presenters.items_html(plain, editable=True))
    assert (
        "<img src=x" not in reused
        and 'id="item-&#34;&gt;&lt;img src=x onerror=alert(1)&gt;-comment"' in reused
    )
    # An N/A chosen shows its (empty) justification area; the area is the one of that answer.
    na = str(presenters.items_html([by_code[SCRIPT]], editable=True))
    assert by_code[SCRIPT]["na_checked"] and "cv-item__na--shown" in na


def test_hostile_section_titles_are_escaped_in_the_side_menu(vendor_client_factory):
    version = questionnaire_version(items=10, sections=2, publish=False)
    Section.objects.filter(version=version).update(title=SCRIPT)
    questionnaire_version_publish(version=version)
    assessment = qualified_assessment(version)
    client = vendor_client_factory(role=Role.SALARIE, company=assessment.product_version.product.company)
    html = page(client, "section", assessment, 0)
    menu = html[html.index('<nav class="fr-sidemenu') : html.index('id="overall-progress"')]
    assert SCRIPT not in html
    assert menu.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert menu.count('aria-current="page"') == 1
