"""The import service and command: real files, idempotency, refusal of changed published files."""

import copy
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from questionnaires.models import (
    Item,
    Level,
    QualificationQuestion,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from questionnaires.services import (
    CREATED,
    PUBLISHED,
    REPLACED,
    UNCHANGED,
    DefinitionError,
    questionnaire_import,
    questionnaire_version_retire,
)
from tests.questionnaires.factories import DEFINITIONS_DIR, import_real_definitions
from tests.questionnaires.test_definition import VALID

pytestmark = pytest.mark.django_db
MODELS = [Questionnaire, QuestionnaireVersion, Level, QualificationQuestion, Section, Item]


def row_counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def write(tmp_path, data, name="v1.yaml"):
    folder = tmp_path / "demo"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_real_definitions_load_and_contain_the_codes_other_parts_rely_on():
    versions = import_real_definitions()
    a08 = versions["interoperabilite"]
    codes = set(a08.items.values_list("code", flat=True))
    assert len(codes) >= 60
    assert {"A08.3.1", "A08.4.1", "A08.4.3", "A08.5.01", "A08.5.22", "A08.5.23"} <= codes
    assert {f"A08.5.{n:02d}" for n in range(1, 23)} <= codes
    assert set(a08.qualification_questions.values_list("code", flat=True)) >= {
        "infra_partage",
        "interagit_partage",
        "connecteur_tiers",
    }
    assert list(a08.levels.values_list("code", flat=True)) == ["rouge", "orange", "jaune", "vert"]
    assert set(a08.profile_rules) == {"administration", "alimentation", "consultation"}
    assert versions["securite"].items.count() >= 20
    assert versions["urbanisation"].items.count() >= 15
    assert all(version.status == QuestionnaireVersion.Status.PUBLISHED for version in versions.values())


def test_key_items_carry_level_descriptions_and_applicability():
    a08 = import_real_definitions()["interoperabilite"]
    item = a08.items.get(code="A08.5.23")
    assert set(item.level_descriptions) == {"rouge", "orange", "jaune", "vert"}
    assert a08.items.exclude(applicability=None).exists()


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, VALID)
    first = questionnaire_import(path=path, publish=True)
    counts = row_counts()
    second = questionnaire_import(path=path, publish=True)
    assert (first.outcome, second.outcome) == (CREATED, UNCHANGED)
    assert second.version.pk == first.version.pk
    assert row_counts() == counts
    assert second.version.checksum == first.version.checksum


def test_import_writes_the_whole_definition(tmp_path):
    version = questionnaire_import(path=write(tmp_path, VALID)).version
    assert version.status == QuestionnaireVersion.Status.DRAFT
    assert list(version.levels.values_list("code", "rank")) == [("rouge", 0), ("vert", 1)]
    item = version.items.get(code="S1.2")
    assert (item.na_allowed, item.applicability, item.section.code) == (
        False,
        {"qualification": "partage"},
        "S1",
    )
    assert version.items.get(code="S1.1").level_descriptions == {"vert": "Conforme au volet."}
    assert version.qualification_questions.get(code="secteur").choices == ["Ville", "Hôpital"]
    assert version.profile_rules["profil"]["rule"] == VALID["profiles"]["profil"]["rule"]
    assert version.source_path.endswith("demo/v1.yaml")


def test_publishing_an_imported_draft_freezes_it(tmp_path):
    path = write(tmp_path, VALID)
    questionnaire_import(path=path)
    result = questionnaire_import(path=path, publish=True)
    assert result.outcome == PUBLISHED
    assert result.version.published_at is not None


def test_changed_file_of_a_published_version_is_refused(tmp_path):
    path = write(tmp_path, VALID)
    questionnaire_import(path=path, publish=True)
    changed = copy.deepcopy(VALID)
    changed["sections"][0]["items"][0]["title"] = "Première, corrigée"
    write(tmp_path, changed)
    counts = row_counts()
    with pytest.raises(DefinitionError) as raised:
        questionnaire_import(path=path, publish=True)
    assert raised.value.errors == [
        "La version 1 du questionnaire « demo » est déjà publiée et son fichier a changé : une version publiée "
        "ne se modifie pas, publiez une nouvelle version (v2.yaml)."
    ]
    assert row_counts() == counts
    assert Item.objects.get(code="S1.1").title == "Première"


def test_changed_file_of_a_draft_replaces_it(tmp_path):
    path = write(tmp_path, VALID)
    questionnaire_import(path=path)
    changed = copy.deepcopy(VALID)
    changed["sections"][0]["items"].pop()
    changed["profiles"] = {}
    write(tmp_path, changed)
    result = questionnaire_import(path=path)
    assert result.outcome == REPLACED
    assert list(result.version.items.values_list("code", flat=True)) == ["S1.1"]
    assert QuestionnaireVersion.objects.count() == 1


def test_a_new_version_is_a_new_file(tmp_path):
    questionnaire_import(path=write(tmp_path, VALID), publish=True)
    second = copy.deepcopy(VALID) | {"version": 2}
    result = questionnaire_import(path=write(tmp_path, second, name="v2.yaml"), publish=True)
    assert result.outcome == CREATED
    assert list(Questionnaire.objects.get(code="demo").versions.values_list("number", flat=True)) == [1, 2]


def test_dry_run_writes_nothing(tmp_path):
    result = questionnaire_import(path=write(tmp_path, VALID), publish=True, dry_run=True)
    assert (result.outcome, result.item_count, result.version) == (CREATED, 2, None)
    assert row_counts() == [0] * len(MODELS)


def test_invalid_file_writes_nothing(tmp_path):
    broken = copy.deepcopy(VALID)
    broken["sections"][0]["items"][1]["code"] = "S1.1"
    with pytest.raises(DefinitionError):
        questionnaire_import(path=write(tmp_path, broken))
    assert row_counts() == [0] * len(MODELS)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DefinitionError) as raised:
        questionnaire_import(path=tmp_path / "absent.yaml")
    assert raised.value.errors[0].startswith(f"{tmp_path / 'absent.yaml'} : fichier illisible")


def test_retiring_keeps_the_version_but_hides_it_as_latest(tmp_path):
    version = questionnaire_import(path=write(tmp_path, VALID), publish=True).version
    retired = questionnaire_version_retire(version=version)
    assert retired.status == QuestionnaireVersion.Status.RETIRED


# --- Command ------------------------------------------------------------------------------------------
def test_command_imports_a_directory_and_reports_each_file():
    out = StringIO()
    call_command("import_questionnaire", str(DEFINITIONS_DIR), "--publish", stdout=out)
    assert "interoperabilite v1 créée et publiée" in out.getvalue()
    out = StringIO()
    call_command("import_questionnaire", str(DEFINITIONS_DIR), "--publish", stdout=out)
    # v1 and v2 of the three self-assessment questionnaires, v1 of the six DMN ones.
    assert out.getvalue().count("inchangée") == 12


def test_command_lists_every_error_and_fails(tmp_path):
    broken = copy.deepcopy(VALID)
    broken["levels"][0]["colour"] = "rouge"
    broken["sections"][0]["items"][0]["levels"] = {"bleu": "?"}
    err = StringIO()
    with pytest.raises(CommandError, match="1 fichier"):
        call_command("import_questionnaire", str(write(tmp_path, broken)), stderr=err)
    assert "levels[0].colour : couleur « rouge » invalide ; attendu #RRVVBB." in err.getvalue()
    assert "levels.bleu : niveau « bleu » inconnu dans l'échelle." in err.getvalue()
    assert row_counts() == [0] * len(MODELS)


def test_command_dry_run_says_so_and_writes_nothing(tmp_path):
    out = StringIO()
    call_command("import_questionnaire", str(write(tmp_path, VALID)), "--dry-run", stdout=out)
    assert out.getvalue().startswith("[essai] ")
    assert row_counts() == [0] * len(MODELS)


def test_demo_loader_is_idempotent():
    from questionnaires import demo

    demo.load(StringIO())
    counts = row_counts()
    demo.load(StringIO())
    assert row_counts() == counts
    # v1 and v2 of the three self-assessment questionnaires, v1 of the six DMN ones.
    assert QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED).count() == 12


# --- Property: malformed documents are rejected and nothing is written --------------------------------
PATHS = [
    ("questionnaire",),
    ("questionnaire", "code"),
    ("questionnaire", "theme"),
    ("version",),
    ("levels",),
    ("levels", 0),
    ("levels", 0, "colour"),
    ("levels", 1, "code"),
    ("qualification", 0, "code"),
    ("qualification", 1, "kind"),
    ("sections",),
    ("sections", 0, "items"),
    ("sections", 0, "items", 0, "code"),
    ("sections", 0, "items", 1, "na_allowed"),
    ("sections", 0, "items", 1, "applies_if"),
    ("profiles", "profil", "rule"),
    ("profiles", "profil", "rule", "all", 1, "at_least"),
    ("profiles", "profil", "rule", "all", 0, "qualification"),
]
OPTIONAL_KEYS = {"qualification", "profiles", "applies_if", "na_allowed"}
junk = st.one_of(
    st.none(),
    st.integers(),
    st.just(""),
    st.just("na"),
    st.just("S1.2"),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["x", "code", "all", "item"]), st.integers(), max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=junk, data=st.data())
def test_malformed_documents_are_rejected_without_writing(tmp_path, path, value, data):
    document = copy.deepcopy(VALID)
    target = document
    for key in path[:-1]:
        target = target[key]
    if data.draw(st.booleans()):
        target[path[-1]] = value
    elif isinstance(target, dict):
        target.pop(path[-1])
        if path[-1] in OPTIONAL_KEYS:  # removing it is valid: break something else too
            target["inattendu"] = value
    else:
        target[path[-1]] = {"inattendu": value}
    assume(document != VALID and not (path[-1] == "applies_if" and target.get("applies_if", 0) is None))
    counts = row_counts()
    with pytest.raises(DefinitionError) as raised:
        questionnaire_import(path=write(tmp_path, document), publish=True)
    assert raised.value.errors
    assert row_counts() == counts


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    document=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_random_data_is_rejected_with_french_errors(tmp_path, document):
    path = tmp_path / "v1.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    with pytest.raises(DefinitionError):
        questionnaire_import(path=path)
    assert row_counts() == [0] * len(MODELS)
