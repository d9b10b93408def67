"""Items declare the proofs they expect: in their own file, or in a proofs-v<N>.yaml beside a published one."""

import copy

import pytest
import yaml

from questionnaires.definition import definition_errors
from questionnaires.models import ExpectedProof, ProofAddendum
from questionnaires.services import DefinitionError, questionnaire_import
from tests.questionnaires.factories import import_real_definitions
from tests.questionnaires.test_definition import VALID

VIDEO = {
    "code": "video_psc",
    "kind": "file",
    "label": "Vidéo de connexion",
    "formats": ["mp4", "webm"],
    "max_size_mb": 250,
    "instruction": "Filmez la connexion.",
}
LINK = {
    "code": "rapport",
    "kind": "link",
    "label": "Rapport",
    "min": 0,
    "instruction": "Lien vers le rapport.",
}


def with_proofs(proofs, index=0):
    data = copy.deepcopy(VALID)
    data["sections"][0]["items"][index]["proofs"] = proofs
    return data


def write(tmp_path, data, name="v1.yaml"):
    folder = tmp_path / "demo"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def addendum(items, **overrides):
    return {"questionnaire": "demo", "version": 1, "items": items, **overrides}


# --- Validation --------------------------------------------------------------------------------------
def test_valid_proofs_are_accepted():
    assert definition_errors(with_proofs([VIDEO, LINK])) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"kind": "photo"},
            "sections[0].items[0] (S1.1).proofs[0].kind : type « photo » inconnu ; attendu file, link ou description.",
        ),
        (
            {"formats": ["mp4", "avi"]},
            "sections[0].items[0] (S1.1).proofs[0].formats : format « avi » inconnu ; attendu l'un de pdf, mp4, webm, png, jpg, txt, log, json, xml, zip.",
        ),
        (
            {"formats": []},
            "sections[0].items[0] (S1.1).proofs[0].formats : une preuve de type file doit lister ses formats acceptés.",
        ),
        (
            {"max_size_mb": 0},
            "sections[0].items[0] (S1.1).proofs[0].max_size_mb : une taille en Mo, entière, entre 1 et 1024, est attendue.",
        ),
        (
            {"max_size_mb": "200"},
            "sections[0].items[0] (S1.1).proofs[0].max_size_mb : une taille en Mo, entière, entre 1 et 1024, est attendue.",
        ),
        (
            {"min": 2, "max": 1},
            "sections[0].items[0] (S1.1).proofs[0].max : le maximum doit être au moins 1 et au moins égal au minimum (2).",
        ),
        (
            {"min": -1},
            "sections[0].items[0] (S1.1).proofs[0].min : un nombre entier positif ou nul est attendu.",
        ),
        (
            {"instruction": " "},
            "sections[0].items[0] (S1.1).proofs[0].instruction : un texte non vide est attendu.",
        ),
        ({"taille": 3}, "sections[0].items[0] (S1.1).proofs[0] : clé(s) inconnue(s) « taille »."),
        (
            {"code": "Video"},
            "sections[0].items[0] (S1.1).proofs[0].code : code « Video » invalide (minuscules, chiffres et _ ; commence par une lettre).",
        ),
    ],
)
def test_invalid_proof_is_reported_in_french_with_its_location(change, expected):
    assert definition_errors(with_proofs([{**VIDEO, **change}])) == [expected]


def test_formats_on_a_link_are_refused():
    errors = definition_errors(with_proofs([{**LINK, "formats": ["pdf"]}]))
    assert errors == [
        "sections[0].items[0] (S1.1).proofs[0] : seules les preuves de type file ont des formats et une taille maximale."
    ]


def test_duplicate_proof_code_and_empty_list_are_reported():
    assert definition_errors(with_proofs([VIDEO, VIDEO])) == [
        "sections[0].items[0] (S1.1).proofs[1].code : le code « video_psc » est déjà utilisé dans ce fichier."
    ]
    assert definition_errors(with_proofs([])) == [
        "sections[0].items[0] (S1.1).proofs : une liste non vide est attendue."
    ]


# --- Import --------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_proofs_declared_in_a_version_file_are_imported(tmp_path):
    questionnaire_import(path=write(tmp_path, with_proofs([VIDEO, LINK])), publish=True)
    video, link = ExpectedProof.objects.filter(item__code="S1.1").order_by("order")
    assert (video.kind, video.formats, video.max_size, video.min_count, video.max_count) == (
        "file",
        ["mp4", "webm"],
        250 * 1024 * 1024,
        1,
        1,
    )
    assert (link.kind, link.is_required, link.addendum) == ("link", False, None)


@pytest.mark.django_db
def test_addendum_adds_proofs_to_a_published_version_once(tmp_path):
    path = write(tmp_path, VALID)
    questionnaire_import(path=path, publish=True)
    write(tmp_path, addendum({"S1.2": [VIDEO]}), name="proofs-v1.yaml")
    questionnaire_import(path=path, publish=True)
    questionnaire_import(path=path, publish=True)  # the same file again changes nothing
    assert list(ExpectedProof.objects.values_list("item__code", "code")) == [("S1.2", "video_psc")]
    assert ProofAddendum.objects.count() == 1


@pytest.mark.django_db
def test_changed_addendum_of_a_published_version_is_refused(tmp_path):
    path = write(tmp_path, VALID)
    write(tmp_path, addendum({"S1.2": [VIDEO]}), name="proofs-v1.yaml")
    questionnaire_import(path=path, publish=True)
    write(tmp_path, addendum({"S1.2": [{**VIDEO, "max_size_mb": 300}]}), name="proofs-v1.yaml")
    with pytest.raises(DefinitionError) as raised:
        questionnaire_import(path=path, publish=True)
    assert raised.value.errors == [
        "proofs-v1.yaml : les preuves attendues de la version 1 du questionnaire « demo » sont déjà importées "
        "et le fichier a changé : elles ne se modifient plus, déclarez-les dans une nouvelle version du questionnaire."
    ]
    assert ExpectedProof.objects.get().max_size == 250 * 1024 * 1024


@pytest.mark.django_db
def test_addendum_errors_name_the_file_and_the_location(tmp_path):
    path = write(tmp_path, with_proofs([VIDEO]))
    write(
        tmp_path,
        addendum({"S9.9": [VIDEO], "S1.1": [LINK], "S1.2": [{**VIDEO, "kind": "video"}]}, version=2),
        name="proofs-v1.yaml",
    )
    with pytest.raises(DefinitionError) as raised:
        questionnaire_import(path=path, publish=True)
    assert raised.value.errors == [
        "proofs-v1.yaml : version : le fichier est rangé sous « 1 » mais déclare « 2 ».",
        "proofs-v1.yaml : items.S9.9 : l'exigence « S9.9 » n'existe pas dans la version 1 du questionnaire.",
        "proofs-v1.yaml : items.S1.1 : les preuves de l'exigence « S1.1 » sont déjà déclarées dans le fichier du questionnaire.",
        "proofs-v1.yaml : items.S1.2[0].kind : type « video » inconnu ; attendu file, link ou description.",
    ]
    assert not ExpectedProof.objects.exists()


@pytest.mark.django_db
def test_real_referentials_declare_proofs_for_at_least_ten_key_items():
    import_real_definitions()
    v1 = ExpectedProof.objects.filter(item__version__number=1)
    items = set(v1.values_list("item__version__questionnaire__code", "item__code"))
    assert len(items) >= 10
    assert {("securite", "SEC.2.3"), ("urbanisation", "URB.3.1"), ("urbanisation", "URB.2.1")} <= items
    assert {("securite", "SEC.1.5"), ("urbanisation", "URB.4.1"), ("securite", "SEC.6.4")} <= items
    psc = v1.get(item__code="URB.3.1", code="video_psc")
    assert psc.formats == ["mp4", "webm"]


def _expected(version) -> dict[str, list[tuple]]:
    rows = ExpectedProof.objects.filter(item__version=version).order_by("item__code", "order")
    grouped: dict[str, list[tuple]] = {}
    for row in rows.values_list("item__code", "kind", "formats", "max_size", "min_count", "max_count"):
        grouped.setdefault(row[0], []).append(row[1:])
    return grouped


@pytest.mark.django_db
def test_v2_items_declare_inline_the_proofs_of_the_v1_items_they_continue():
    """Each proof of a v1 addendum reappears (kind, formats, size, counts) on the v2 item that continues
    its item, declared in v2's own file, not in an addendum."""
    v2 = import_real_definitions(2)
    v1 = {code: version.questionnaire.versions.get(number=1) for code, version in v2.items()}
    assert not ProofAddendum.objects.filter(version__in=v2.values()).exists()
    for code, version in v2.items():
        carried = {
            value["from"]: item
            for item, value in version.carry_over["items"].items()
            if isinstance(value, dict)
        }
        before, after = _expected(v1[code]), _expected(version)
        assert before, code
        assert {carried[item]: proofs for item, proofs in before.items()} == after, code
    items = set(ExpectedProof.objects.filter(item__version__number=2).values_list("item__code", flat=True))
    assert len(items) >= 10
    # DMN (IEU 9.1), INS, Pro Santé Connect, directory, DMP.
    assert {"SEC.1.3", "SEC.1.5", "SEC.1.6", "SEC.2.3", "URB.3.1", "URB.2.1", "URB.4.1", "URB.4.2"} <= items


@pytest.mark.django_db
def test_v2_proofs_follow_the_rewording_of_their_items():
    v2 = import_real_definitions(2)
    ciba = ExpectedProof.objects.get(item__version=v2["urbanisation"], item__code="URB.3.2")
    assert ciba.code == "video_navigateur_externe" and "navigateur externe" in ciba.instruction
    assert "CIBA" in ciba.instruction  # still accepted in wave 1
    exemptions = ExpectedProof.objects.get(item__version=v2["securite"], code="exceptions_documentees")
    assert "simple déclaration" in exemptions.instruction
    cda = ExpectedProof.objects.get(item__version=v2["interoperabilite"], code="document_cda")
    assert "INS" in cda.instruction
