import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Answer, Assessment, Submission
from certificates.snapshot import (
    ATTESTATION,
    ITEM_TEXT_MAX_LENGTH,
    ITEM_TEXTS_MAX_LENGTH,
    NOT_FROZEN,
    RAPPORT,
    TRUNCATED,
    assessment_snapshot,
    build_snapshot,
    canonical_json,
    section_entry,
    snapshot_sha256,
)
from companies.models import Company
from products.models import Product, ProductVersion
from tests.assessments.factories import (
    EVERY_ITEM,
    QUALIFIED,
    AssessmentFactory,
    advance,
    questionnaire_version,
)

pytestmark = pytest.mark.django_db


def snapshot_queries(assessment, kind) -> int:
    with CaptureQueriesContext(connection) as queries:
        assessment_snapshot(assessment=assessment, kind=kind)
    return len(queries)


def test_snapshot_costs_the_same_queries_for_5_or_300_items():
    small, large = (
        AssessmentFactory(validated=True, mixed=True, items=5),
        AssessmentFactory(validated=True, mixed=True, items=300),
    )
    # First use of a questionnaire version loads its definition, then it is cached.
    assert snapshot_queries(small, RAPPORT) == snapshot_queries(large, RAPPORT) <= 8
    assert snapshot_queries(small, RAPPORT) == snapshot_queries(large, RAPPORT) <= 2


def test_report_lists_sworn_declarations_whether_or_not_the_version_expects_proofs():
    """A declaration lives in its answer: the report prints it from the answers it states (live for a
    draft, the submission's once submitted), at no extra query, with no expected proof anywhere."""
    plain, declared = AssessmentFactory(mixed=True, items=5), AssessmentFactory(mixed=True, items=5)
    # The first item where N/A is allowed.
    item = (
        Answer.objects.filter(assessment=declared, item__na_allowed=True)
        .order_by("item__order")
        .select_related("item")
        .first()
    )
    Answer.objects.filter(pk=item.pk).update(
        level="na",
        justification="Le produit ne traite aucune identité de patient.",
        declarant="Claire Martin",
        declarant_role="Présidente",
        declared_on=datetime.date(2025, 3, 1),
    )
    expected = [
        {
            "item": item.item.code,
            "declarant_name": "Claire Martin",
            "declarant_role": "Présidente",
            "declared_on": "2025-03-01",
            "text": "Le produit ne traite aucune identité de patient.",
        }
    ]
    assert assessment_snapshot(assessment=declared, kind=RAPPORT)["declarations"] == expected
    assert "declarations" not in assessment_snapshot(assessment=plain, kind=RAPPORT)
    assert "declarations" not in assessment_snapshot(assessment=declared, kind=ATTESTATION)
    assert snapshot_queries(declared, RAPPORT) == snapshot_queries(plain, RAPPORT)
    advance(declared, to=Assessment.State.VALIDATED)
    Answer.objects.filter(pk=item.pk).update(declarant="Changé après la soumission")
    assert assessment_snapshot(assessment=declared, kind=RAPPORT)["declarations"] == expected


def test_report_snapshot_lists_every_applicable_item_with_its_answer():
    assessment = AssessmentFactory(validated=True, mixed=True, items=12, qualification=EVERY_ITEM)
    snapshot = assessment_snapshot(assessment=assessment, kind=RAPPORT)
    items = {item["code"]: item for section in snapshot["sections"] for item in section["items"]}
    assert len(items) == 12
    for answer in Answer.objects.filter(assessment=assessment).select_related("item"):
        frozen = items[answer.item.code]
        assert (frozen["level"], frozen["comment"], frozen["justification"]) == (
            answer.level,
            answer.comment,
            answer.justification,
        )


def test_counts_add_up_to_the_applicable_items_with_unanswered_ones_counted():
    # A draft states its answers as they are now: one applicable item is still unanswered.
    assessment = AssessmentFactory(mixed=True, items=9, qualification=EVERY_ITEM)
    Answer.objects.filter(assessment=assessment, item__code="X.001").update(level="")
    snapshot = assessment_snapshot(assessment=assessment, kind=ATTESTATION)
    totals = [section["counts"] for section in snapshot["sections"]]
    assert sum(sum(counts.values()) for counts in totals) == 9
    assert sum(counts["sans_reponse"] for counts in totals) >= 1
    assert all(set(counts) == {"rouge", "orange", "jaune", "vert", "na", "sans_reponse"} for counts in totals)


def test_attestation_snapshot_carries_counts_but_no_items():
    snapshot = assessment_snapshot(
        assessment=AssessmentFactory(validated=True, mixed=True, items=6), kind=ATTESTATION
    )
    assert all("items" not in section for section in snapshot["sections"])


def test_items_not_applicable_under_the_qualification_are_left_out():
    condition = {"qualification": "infra_partage"}
    version = questionnaire_version(items=4, sections=1, applicability={0: condition})
    # A draft: its report reads the qualification as it is now (a submitted one reads its submission).
    assessment = AssessmentFactory(questionnaire_version=version, qualification=QUALIFIED)
    snapshot = assessment_snapshot(assessment=assessment, kind=RAPPORT)
    assert [item["code"] for item in snapshot["sections"][0]["items"]] == ["A08.4.1", "A08.4.3", "A08.5.01"]
    services.qualification_save(
        assessment=assessment, answers=QUALIFIED | {"infra_partage": True}, actor=None
    )
    assert len(assessment_snapshot(assessment=assessment, kind=RAPPORT)["sections"][0]["items"]) == 4


def test_report_of_an_unvalidated_assessment_is_a_draft():
    draft = assessment_snapshot(assessment=AssessmentFactory(mixed=True), kind=RAPPORT)
    assert draft["draft"] is True and draft["validated_at"] is None and draft["reviewer_organisation"] == ""
    final = assessment_snapshot(assessment=AssessmentFactory(validated=True, mixed=True), kind=RAPPORT)
    assert final["draft"] is False and final["validated_at"] and final["reviewer_organisation"]


def test_snapshot_states_company_product_version_and_questionnaire():
    assessment = AssessmentFactory(validated=True, mixed=True)
    snapshot = assessment_snapshot(assessment=assessment, kind=ATTESTATION)
    product = assessment.product_version.product
    assert snapshot["company"] == {"name": product.company.name, "siren": product.company.siren}
    assert snapshot["product"]["display_name"] == product.display_name
    assert snapshot["version"] == {"label": assessment.product_version.label}
    assert snapshot["questionnaire"]["version"] == assessment.questionnaire_version.number
    assert [level["code"] for level in snapshot["levels"]] == ["rouge", "orange", "jaune", "vert"]
    assert snapshot["profiles"]["alimentation"]["reached"] is True


def test_hash_ignores_the_issue_date_but_not_the_answers():
    # A draft's report states the answers as they are now (a validated one, its submission).
    assessment = AssessmentFactory(mixed=True)
    first = assessment_snapshot(assessment=assessment, kind=RAPPORT)
    second = assessment_snapshot(assessment=assessment, kind=RAPPORT)
    assert first["issued_at"] != second["issued_at"]
    assert snapshot_sha256(first) == snapshot_sha256(second)
    Answer.objects.filter(assessment=assessment).update(comment="Nouveau commentaire")
    assert snapshot_sha256(assessment_snapshot(assessment=assessment, kind=RAPPORT)) != snapshot_sha256(first)


# --- Bounded size: no text, however long, can hold a PDF worker ------------------------------------------
def report_items(snapshot) -> list[dict]:
    return [item for section in snapshot["sections"] for item in section["items"]]


def test_a_huge_comment_is_cut_and_marked_in_the_snapshot():
    # A draft's report reads the current answers (a submitted one reads its frozen submission).
    assessment = AssessmentFactory(mixed=True, items=3)
    huge = "Commentaire interminable. " * 40_000  # ~1 MB, e.g. stored before the import checked lengths
    Answer.objects.filter(assessment=assessment, item__code="A08.3.1").update(comment=huge)
    items = {
        item["code"]: item for item in report_items(assessment_snapshot(assessment=assessment, kind=RAPPORT))
    }
    comment = items["A08.3.1"]["comment"]
    assert len(comment) <= ITEM_TEXT_MAX_LENGTH
    assert comment.endswith(TRUNCATED)
    assert huge.startswith(comment.removesuffix(TRUNCATED))


def test_report_texts_share_a_bounded_budget_and_short_ones_stay_whole():
    long_text = "x" * ITEM_TEXT_MAX_LENGTH
    answers = [
        {
            "code": f"A.{index}",
            "title": "Titre",
            "level": "na",
            "comment": long_text,
            "justification": long_text,
        }
        for index in range(300)
    ]
    answers[0] |= {"comment": "Court.", "justification": "Hors champ."}
    section = section_entry(
        section={"code": "A", "title": "Section"}, answers=answers, level_codes=["vert"], with_items=True
    )
    snapshot = build_snapshot(
        kind=RAPPORT,
        draft=True,
        company={"name": "Alpha", "siren": "732829320"},
        product={"display_name": "Produit", "commercial_name": ""},
        version={"label": "1"},
        questionnaire={"code": "A08", "title": "Interopérabilité", "version": 1},
        levels=[],
        profiles={},
        sections=[section],
        validated_at=None,
    )
    items = report_items(snapshot)
    assert sum(len(item["comment"]) + len(item["justification"]) for item in items) <= ITEM_TEXTS_MAX_LENGTH
    assert (items[0]["comment"], items[0]["justification"]) == ("Court.", "Hors champ.")
    assert all(item["comment"].endswith(TRUNCATED) for item in items[1:])
    assert len(canonical_json(snapshot)) < ITEM_TEXTS_MAX_LENGTH + 100_000


def test_submitted_assessment_is_stated_from_its_submission_not_from_rows_edited_since():
    assessment = AssessmentFactory(validated=True, mixed=True)
    before = assessment_snapshot(assessment=assessment, kind=RAPPORT)
    version = assessment.product_version
    Product.objects.filter(pk=version.product_id).update(
        name="Produit jamais évalué",
        os=Product.OS.LINUX,
        device=Product.Device.MOBILE,
        commercial_name="Faux",
    )
    ProductVersion.objects.filter(pk=version.pk).update(label="99.0")
    Company.objects.filter(pk=version.product.company_id).update(name="Autre Éditeur")
    Answer.objects.filter(assessment=assessment).update(level="vert", comment="Changé en base")
    Assessment.objects.filter(pk=assessment.pk).update(
        qualification={"autre": True},
        profiles={"administration": {"label": "Administration", "reached": True}},
    )

    after = assessment_snapshot(assessment=assessment, kind=RAPPORT)

    assert snapshot_sha256(after) == snapshot_sha256(before)
    assert after["product"]["display_name"] == version.product.display_name
    assert after["version"] == {"label": version.label}
    assert after["company"]["name"] == version.product.company.name


def test_submitted_assessment_without_a_frozen_submission_gets_no_document():
    # Not reachable through the services (a submission is written with every submit): the guard
    # against a lost submission row is tested by deleting it.
    assessment = AssessmentFactory(validated=True)
    Submission.objects.filter(assessment=assessment).delete()
    with pytest.raises(ValidationError) as error:
        assessment_snapshot(assessment=assessment, kind=ATTESTATION)
    assert error.value.messages == [NOT_FROZEN]
