"""Qualification answered once per product version: gather the answers each assessment held.

For every product version with assessments, the answers are merged oldest first, closed assessments
(validated, refused) before open ones, so the answers of the most recently changed open assessment
win where two disagree. Each open assessment then gets the merged answers to its own questions, and
its profiles are recomputed with the pure rule engine when its copy changed. Closed assessments keep
the answers they were decided with.
"""

from django.db import migrations

from questionnaires.profiles import applicable, evaluate

CLOSED = ("validated", "refused")


def forward(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Qualification = apps.get_model("assessments", "Qualification")
    QualificationQuestion = apps.get_model("questionnaires", "QualificationQuestion")
    by_version: dict[int, list] = {}
    for assessment in Assessment.objects.order_by("updated_at", "pk"):
        by_version.setdefault(assessment.product_version_id, []).append(assessment)
    questions: dict[int, set] = {}
    for version_id, code in QualificationQuestion.objects.values_list("version_id", "code"):
        questions.setdefault(version_id, set()).add(code)
    for version_id, assessments in by_version.items():
        merged: dict = {}
        for assessment in sorted(assessments, key=lambda a: a.state not in CLOSED):
            merged |= assessment.qualification
        Qualification.objects.create(product_version_id=version_id, answers=merged)
        for assessment in assessments:
            if assessment.state in CLOSED:
                continue
            own = questions.get(assessment.questionnaire_version_id, set())
            copy = {code: value for code, value in merged.items() if code in own}
            if copy != assessment.qualification:
                assessment.qualification = copy
                _recompute(apps, assessment)
                assessment.save(update_fields=["qualification", "profiles", "reached_profiles"])


def _recompute(apps, assessment) -> None:
    Answer = apps.get_model("assessments", "Answer")
    Level = apps.get_model("questionnaires", "Level")
    rules = assessment.questionnaire_version.profile_rules
    ranks = dict(Level.objects.filter(version=assessment.questionnaire_version).values_list("code", "rank"))
    qualification = {code: value for code, value in assessment.qualification.items() if isinstance(value, bool)}
    levels = {
        answer.item.code: answer.level
        for answer in Answer.objects.filter(assessment=assessment).exclude(level="").select_related("item")
        if applicable(answer.item.applicability, qualification)
    }
    results = evaluate(rules, qualification, levels, ranks)
    assessment.profiles = {
        code: {"label": rules[code].get("label", code), **result.as_dict()} for code, result in results.items()
    }
    assessment.reached_profiles = [code for code, result in results.items() if result.reached]


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_version_qualification"),
        ("questionnaires", "0004_item_wave_conditions_carry_over"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
