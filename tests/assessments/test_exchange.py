"""Export and import of an assessment as an interchange document: service and commands."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from assessments import interchange, services
from assessments.models import Answer
from assessments.selectors import assessment_document
from tests.assessments.factories import (
    DECLARATION_ITEM,
    QUALIFIED,
    AssessmentFactory,
    declaration_questionnaire_version,
)
from tests.assessments.hostile import HOSTILE_FILES

pytestmark = pytest.mark.django_db


def levels(assessment) -> dict:
    return dict(
        Answer.objects.filter(assessment=assessment).exclude(level="").values_list("item__code", "level")
    )


def test_export_then_import_round_trips_into_another_draft():
    source = AssessmentFactory(answered=True)
    Answer.objects.filter(assessment=source, item__code="X.001").update(
        level="na", justification="Hors champ."
    )
    document = assessment_document(source)
    assert document["questionnaire"]["version"] == 1
    assert document["answers"]["X.001"] == {"level": "na", "justification": "Hors champ."}
    target = AssessmentFactory(questionnaire_version=source.questionnaire_version)
    services.assessment_import(assessment=target, document=json.loads(json.dumps(document)), actor=None)
    target.refresh_from_db()
    assert levels(target) == levels(source)
    assert target.qualification == QUALIFIED
    assert target.reached_profiles == ["alimentation", "consultation"]


def test_import_lists_every_error_and_writes_nothing():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    document = {
        "questionnaire": {"code": assessment.questionnaire_version.questionnaire.code, "version": 1},
        "qualification": QUALIFIED,
        "answers": {
            "A08.3.1": {"level": "vert"},
            "A08.4.1": {"level": "bleu"},
            "X.001": {"level": "na"},
            "ZZZ": {"level": "vert"},
        },
    }
    with pytest.raises(ValidationError) as error:
        services.assessment_import(assessment=assessment, document=document, actor=None)
    assert len(error.value.messages) == 3
    assert levels(assessment) == {}


def test_import_refuses_items_that_the_document_qualification_excludes():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    document = {
        "questionnaire": {"code": assessment.questionnaire_version.questionnaire.code, "version": 1},
        "qualification": QUALIFIED,
        "answers": {"A08.4.2": {"level": "vert"}},
    }
    with pytest.raises(ValidationError) as error:
        services.assessment_import(assessment=assessment, document=document, actor=None)
    assert error.value.messages == [
        services.IMPORT_ANSWER_ERROR.format(
            code="A08.4.2", message=services.ITEM_NOT_APPLICABLE.format(code="A08.4.2")
        )
    ]


def test_import_bumps_revisions_so_open_pages_get_a_conflict():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    document = assessment_document(assessment) | {"answers": {"A08.3.1": {"level": "vert"}}}
    services.assessment_import(assessment=assessment, document=document, actor=None)
    with pytest.raises(services.AnswerConflict):
        services.answer_save(
            assessment=assessment, item_code="A08.3.1", level="rouge", expected_revision=0, actor=None
        )


def test_unreadable_json_is_a_located_error():
    with pytest.raises(ValidationError) as error:
        services.parse_document(b'{"questionnaire": ')
    assert error.value.messages[0].startswith("Le fichier n'est pas un document JSON lisible (ligne 1")


def test_submitted_assessment_cannot_be_imported_into():
    assessment = AssessmentFactory(submitted=True)
    with pytest.raises(ValidationError) as error:
        services.assessment_import(
            assessment=assessment, document=assessment_document(assessment), actor=None
        )
    assert error.value.messages == [services.NOT_EDITABLE.format(state="Soumise")]


# --- Commands ---------------------------------------------------------------------------------------
def test_export_command_prints_the_document():
    assessment = AssessmentFactory(answered=True)
    out = io.StringIO()
    call_command("export_assessment", str(assessment.public_id), stdout=out)
    document = json.loads(out.getvalue())
    assert document["answers"]["A08.3.1"] == {"level": "vert"}
    assert document["meta"]["assessment"] == str(assessment.public_id)


def test_import_command_fills_a_draft(tmp_path):
    source = AssessmentFactory(answered=True)
    path = tmp_path / "evaluation.json"
    call_command("export_assessment", str(source.public_id), "-o", str(path))
    target = AssessmentFactory(questionnaire_version=source.questionnaire_version)
    out = io.StringIO()
    call_command("import_assessment", str(target.public_id), str(path), stdout=out)
    assert levels(target) == levels(source)
    assert "Import terminé" in out.getvalue()


def test_import_command_exits_2_listing_every_problem(tmp_path):
    assessment = AssessmentFactory(qualification=QUALIFIED)
    path = tmp_path / "faux.json"
    code = assessment.questionnaire_version.questionnaire.code
    bad = {
        "questionnaire": {"code": code, "version": 1},
        "qualification": {},
        "answers": {"ZZZ": {"level": "x"}},
    }
    path.write_text(json.dumps(bad), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_assessment", str(assessment.public_id), str(path), stderr=err)
    assert error.value.returncode == 2
    assert "ZZZ" in err.getvalue()
    assert levels(assessment) == {}


@pytest.mark.parametrize("value", ["pas-un-uuid", "00000000-0000-0000-0000-000000000000"])
def test_commands_reject_unknown_assessments(value):
    with pytest.raises(CommandError) as error:
        call_command("export_assessment", value)
    assert error.value.returncode == 2


# --- Hostile input: a clear French error, nothing written ----------------------------------------------
TOO_LONG = "x" * (services.TEXT_MAX_LENGTH + 1)


def document_for(assessment, answers: dict) -> dict:
    code = assessment.questionnaire_version.questionnaire.code
    return {"questionnaire": {"code": code, "version": 1}, "qualification": QUALIFIED, "answers": answers}


def answer_error(code: str, message: str) -> str:
    return services.IMPORT_ANSWER_ERROR.format(code=code, message=message)


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_files_are_refused_with_a_french_message(name):
    raw, message = HOSTILE_FILES[name]
    with pytest.raises(ValidationError) as error:
        services.parse_document(raw)
    assert error.value.messages == [message]


def test_import_applies_the_answer_page_text_rules():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    document = document_for(
        assessment,
        {
            "A08.3.1": {"level": "vert", "comment": TOO_LONG},
            "X.001": {"level": "na", "justification": TOO_LONG},
            "A08.4.1": {"level": "vert", "comment": "Nul\x00 ici"},
        },
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_import(assessment=assessment, document=document, actor=None)
    too_long = services.TEXT_TOO_LONG.format
    assert error.value.messages == [
        answer_error("A08.3.1", too_long(field="commentaire", max=services.TEXT_MAX_LENGTH)),
        answer_error("X.001", too_long(field="justification", max=services.TEXT_MAX_LENGTH)),
        answer_error("A08.4.1", services.TEXT_FORBIDDEN_CHARACTER.format(field="commentaire")),
    ]
    assert levels(assessment) == {}


def test_import_counts_text_length_after_trimming_as_the_page_does():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    padded = "  " + "x" * services.TEXT_MAX_LENGTH + "  \n"
    document = document_for(assessment, {"A08.3.1": {"level": "vert", "comment": padded}})
    services.assessment_import(assessment=assessment, document=document, actor=None)
    assert Answer.objects.get(assessment=assessment, item__code="A08.3.1").comment == padded.strip()


def test_a_long_list_of_errors_is_cut_with_a_count():
    assessment = AssessmentFactory(qualification=QUALIFIED)
    document = document_for(assessment, {f"Z{number}": {"level": "vert"} for number in range(1000)})
    with pytest.raises(ValidationError) as error:
        services.assessment_import(assessment=assessment, document=document, actor=None)
    messages = error.value.messages
    assert len(messages) == services.IMPORT_MAX_ERRORS + 1
    assert messages[-1] == services.IMPORT_MORE_ERRORS.format(count=1000 - services.IMPORT_MAX_ERRORS)


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_import_command_refuses_hostile_files_with_exit_code_2(tmp_path, name):
    assessment = AssessmentFactory(qualification=QUALIFIED)
    raw, message = HOSTILE_FILES[name]
    path = tmp_path / "evaluation.json"
    path.write_bytes(raw)
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_assessment", str(assessment.public_id), str(path), stderr=err)
    assert error.value.returncode == 2
    assert message in err.getvalue()
    assert levels(assessment) == {}


# --- Sworn declarations and « à revoir » -----------------------------------------------------------------
DECLARATION = {
    "level": "na",
    "justification": "Le produit ne traite aucune identité.",
    "declarant": "Claire Durand",
    "declarant_role": "Directrice technique",
    "declared_on": "2025-03-02",
}


def stored(assessment, code: str) -> tuple:
    answer = Answer.objects.get(assessment=assessment, item__code=code)
    return (
        answer.level,
        answer.justification,
        answer.declarant,
        answer.declarant_role,
        answer.declared_on,
        answer.to_review,
    )


def declared(assessment):
    """A draft of the declaration questionnaire: the declaration saved on the page, A08.3.1 flagged."""
    services.answer_save(
        assessment=assessment,
        item_code=DECLARATION_ITEM,
        expected_revision=0,
        actor=None,
        **DECLARATION | {"declared_on": datetime.date(2025, 3, 2)},
    )
    services.answer_save(
        assessment=assessment, item_code="A08.3.1", level="vert", expected_revision=0, actor=None
    )
    Answer.objects.filter(assessment=assessment, item__code="A08.3.1").update(to_review=True)
    return assessment


def test_round_trip_keeps_sworn_declarations_and_the_review_flag():
    source = declared(
        AssessmentFactory(questionnaire_version=declaration_questionnaire_version(), qualification=QUALIFIED)
    )
    document = json.loads(json.dumps(assessment_document(source)))
    assert document["answers"][DECLARATION_ITEM] == DECLARATION
    assert document["answers"]["A08.3.1"] == {"level": "vert", "to_review": True}
    target = AssessmentFactory(questionnaire_version=source.questionnaire_version)
    services.assessment_import(assessment=target, document=document, actor=None)
    for code in (DECLARATION_ITEM, "A08.3.1"):
        assert stored(target, code) == stored(source, code)
    assert stored(target, DECLARATION_ITEM)[2:5] == (
        "Claire Durand",
        "Directrice technique",
        datetime.date(2025, 3, 2),
    )
    assert stored(target, "A08.3.1")[-1] is True
    assert [gap["code"] for gap in services.answer_gaps(target)] == ["A08.3.1"]


def test_importing_an_answer_confirms_it_as_saving_it_on_the_page_does():
    assessment = declared(
        AssessmentFactory(questionnaire_version=declaration_questionnaire_version(), qualification=QUALIFIED)
    )
    Answer.objects.filter(assessment=assessment, item__code=DECLARATION_ITEM).update(to_review=True)
    document = assessment_document(assessment)
    del document["answers"]["A08.3.1"]["to_review"]  # the vendor stated this one again
    del document["answers"][DECLARATION_ITEM]  # absent: keeps its answer and its flag
    revision = Answer.objects.get(assessment=assessment, item__code="A08.3.1").revision
    services.assessment_import(assessment=assessment, document=document, actor=None)
    confirmed = Answer.objects.get(assessment=assessment, item__code="A08.3.1")
    assert (confirmed.level, confirmed.to_review, confirmed.revision) == ("vert", False, revision + 1)
    assert stored(assessment, DECLARATION_ITEM)[-1] is True


def test_a_document_without_the_new_keys_still_imports():
    assessment = AssessmentFactory(
        questionnaire_version=declaration_questionnaire_version(), qualification=QUALIFIED
    )
    old = {"level": "na", "justification": DECLARATION["justification"]}
    services.assessment_import(
        assessment=assessment, document=document_for(assessment, {DECLARATION_ITEM: old}), actor=None
    )
    assert stored(assessment, DECLARATION_ITEM) == ("na", old["justification"], "", "", None, False)
    # As on the page: saved, but submission waits for the name, role and date.
    assert services.answer_gaps(assessment)[0]["reason"] == services.DECLARATION_INCOMPLETE_REASON


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("code", "answer", "message"),
    [
        (
            DECLARATION_ITEM,
            DECLARATION | {"declared_on": TOMORROW},
            services.DECLARATION_FUTURE,
        ),
        (
            DECLARATION_ITEM,
            DECLARATION | {"declarant": "x" * (services.DECLARANT_MAX_LENGTH + 1)},
            services.DECLARANT_TOO_LONG.format(max=services.DECLARANT_MAX_LENGTH),
        ),
        (
            DECLARATION_ITEM,
            DECLARATION | {"declarant_role": "Nul\x00 ici"},
            services.TEXT_FORBIDDEN_CHARACTER.format(field="déclarant"),
        ),
        (
            "A08.5.23",
            DECLARATION,
            services.IMPORT_DECLARATION_NOT_EXPECTED.format(code="A08.5.23"),
        ),
        (
            "A08.3.1",
            {"level": "vert", "declared_on": "2025-03-02"},
            services.IMPORT_DECLARATION_NOT_EXPECTED.format(code="A08.3.1"),
        ),
        (
            DECLARATION_ITEM,
            DECLARATION | {"level": "vert"},
            services.DECLARATION_ONLY.format(code=DECLARATION_ITEM),
        ),
    ],
    ids=["future date", "name too long", "nul character", "item without declaration", "level", "not na"],
)
def test_import_refuses_a_declaration_the_page_would_refuse_and_writes_nothing(code, answer, message):
    assessment = AssessmentFactory(
        questionnaire_version=declaration_questionnaire_version(), qualification=QUALIFIED
    )
    answers = {"A08.4.1": {"level": "vert"}, code: answer}
    with pytest.raises(ValidationError) as error:
        services.assessment_import(
            assessment=assessment, document=document_for(assessment, answers), actor=None
        )
    assert error.value.messages == [answer_error(code, message)]
    assert levels(assessment) == {}
    assert not Answer.objects.filter(assessment=assessment).exclude(declarant="", declared_on=None).exists()


def test_a_declaration_date_is_checked_as_a_calendar_date():
    assessment = AssessmentFactory(
        questionnaire_version=declaration_questionnaire_version(), qualification=QUALIFIED
    )
    answers = {DECLARATION_ITEM: DECLARATION | {"declared_on": "02/03/2025"}}
    with pytest.raises(ValidationError) as error:
        services.assessment_import(
            assessment=assessment, document=document_for(assessment, answers), actor=None
        )
    assert error.value.messages == [interchange.NOT_A_DATE.format(code=DECLARATION_ITEM)]


def test_commands_carry_the_declaration_from_one_draft_to_another(tmp_path):
    version = declaration_questionnaire_version()
    source = declared(AssessmentFactory(questionnaire_version=version, qualification=QUALIFIED))
    path = tmp_path / "evaluation.json"
    call_command("export_assessment", str(source.public_id), "-o", str(path))
    target = AssessmentFactory(questionnaire_version=version)
    call_command("import_assessment", str(target.public_id), str(path), stdout=io.StringIO())
    assert stored(target, DECLARATION_ITEM) == stored(source, DECLARATION_ITEM)
    assert stored(target, "A08.3.1") == stored(source, "A08.3.1")
