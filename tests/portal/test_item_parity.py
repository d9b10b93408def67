"""Parity of the editable item: the markup assembled by portal/assessments/markup.py and the one the
Jinja2 widgets render, for the same rows, equal once whitespace and the intended differences are
normalised. Kept until markup.py is deleted."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from assessments.models import Answer
from assessments.selectors import answer_data, applicable_items, assessment_structure
from portal.assessments import markup, presenters
from questionnaires.models import Item
from questionnaires.services import questionnaire_version_publish
from tests.assessments.factories import QUALIFIED, AssessmentFactory, questionnaire_version

pytestmark = pytest.mark.django_db
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% debug %}",
    'l\'eau & "le" feu',
]


def normalised(html: str) -> str:
    html = str(html).replace(markup.TRIGGER, "change, cv-typed delay:1200ms, retry")  # intended (CSP)
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")  # same characters, other entity
    html = re.sub(r">\s+<", "><", html)
    return re.sub(r"\s+", " ", html).strip()


def test_editable_item_is_the_same_as_markup_py():
    version = questionnaire_version(items=12, publish=False)
    items = list(Item.objects.filter(version=version).order_by("order"))
    for item, text in zip(items[6:], HOSTILE, strict=False):
        item.title, item.help_text, item.reference = text, text, text
        item.level_descriptions = {"rouge": text, "vert": text, "na": text}
        item.save()
    items[3].help_text, items[3].reference, items[3].level_descriptions = "", "", {}
    items[3].save()
    questionnaire_version_publish(version=version)
    assessment = AssessmentFactory(questionnaire_version=version, qualification=QUALIFIED)
    codes = [item["code"] for item in applicable_items(assessment)]
    values = ["", "na", "rouge", "vert", "jaune", "na", "orange"]
    for index, code in enumerate(codes):
        text = HOSTILE[index % len(HOSTILE)] + "\nligne 2"
        Answer.objects.filter(assessment=assessment, item__code=code).update(
            level=values[index % len(values)],
            justification=text if index % 3 else "",
            comment=text if index % 2 else "",
            revision=index % 4,
        )
    struct = assessment_structure(assessment)
    answers = answer_data(assessment)
    remark = SimpleNamespace(created_at=datetime(2026, 3, 4, 10, tzinfo=UTC), body=HOSTILE[1] + "\nsuite")
    comments = {items[7].pk: [remark, remark]}
    rows = presenters.item_rows(
        assessment=assessment,
        struct=struct,
        items=[i for i in struct.items if i["code"] in codes],
        answers=answers,
        comments=comments,
    )
    assert len(rows) == len(codes) >= 10
    assert {row["code"] for row in rows} >= {item.code for item in items[6:11]}
    assert sum(bool(row["review_comments"]) for row in rows) == 1
    for row in rows:
        old = normalised(markup.editable_item(row, version_id=struct.version_id))
        new = normalised(presenters.items_html([row], editable=True))
        if new != old:
            at = next(i for i, (a, b) in enumerate(zip(new + "\0", old + "\0", strict=False)) if a != b)
            raise AssertionError(
                f"{row['code']}: new {new[at - 80 : at + 120]!r} old {old[at - 80 : at + 120]!r}"
            )
