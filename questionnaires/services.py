"""Writes on questionnaire definitions: importing a definition file, publishing, retiring."""

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from questionnaires.definition import expected_proof_fields, parse_definition, parse_proofs_addendum
from questionnaires.models import (
    ExpectedProof,
    Item,
    Level,
    ProofAddendum,
    QualificationQuestion,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from questionnaires.signals import expected_proofs_changed

FILE_UNREADABLE = "{path} : fichier illisible ({error})."
PUBLISHED_CHANGED = (
    "La version {number} du questionnaire « {code} » est déjà publiée et son fichier a changé : "
    "une version publiée ne se modifie pas, publiez une nouvelle version (v{next}.yaml)."
)
NOT_PUBLISHED = "Seule une version publiée peut être retirée."
PROOFS_PUBLISHED_CHANGED = (
    "{name} : les preuves attendues de la version {number} du questionnaire « {code} » sont déjà "
    "importées et le fichier a changé : elles ne se modifient plus, déclarez-les dans une nouvelle "
    "version du questionnaire."
)
ADDENDUM_NAME = "proofs-v{number}.yaml"

UNCHANGED = "unchanged"
CREATED = "created"
REPLACED = "replaced"
PUBLISHED = "published"


class DefinitionError(Exception):
    """The file cannot be imported; ``errors`` lists every problem, in French."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    code: str
    number: int
    outcome: str  # UNCHANGED, CREATED, REPLACED or PUBLISHED (an unchanged draft being published)
    version: QuestionnaireVersion | None
    item_count: int
    warnings: list[str] = field(default_factory=list)


# The repository's referentials: what ``import_definitions`` puts in every database.
DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


def definition_files(paths: list) -> list[Path]:
    """The files named, a directory standing for every ``v*.yaml`` below it (sorted)."""
    files = []
    for name in paths:
        path = Path(name)
        files += sorted(path.rglob("v*.yaml")) if path.is_dir() else [path]
    return files


def questionnaire_import(*, path: Path, publish: bool = False, dry_run: bool = False) -> ImportResult:
    """Import one definition file: validate everything first, then write it all in one transaction.

    Idempotent: the file's SHA-256 is stored with the version; the same file imported again changes
    nothing. A draft whose file changed is replaced; a published one is refused (DefinitionError).
    ``publish`` publishes the version; ``dry_run`` validates and reports what would happen, writing
    nothing.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DefinitionError([FILE_UNREADABLE.format(path=path, error=error.strerror)]) from error
    parsed = parse_definition(raw, path=path)
    if parsed.errors:
        raise DefinitionError(parsed.errors)
    with transaction.atomic():
        result = _import(parsed.data, checksum=parsed.checksum, source_path=_relative(path), publish=publish)
        addendum = path.with_name(ADDENDUM_NAME.format(number=result.number))
        if addendum.exists():
            _import_addendum(addendum, version=result.version, data=parsed.data)
        if dry_run:
            transaction.set_rollback(True)
            result.version = None
    return result


@transaction.atomic
def questionnaire_version_publish(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Freeze a draft version: from now on the database refuses any change to it."""
    if version.status == QuestionnaireVersion.Status.DRAFT:
        version.status = QuestionnaireVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at", "updated_at"])
    return version


@transaction.atomic
def questionnaire_version_retire(*, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Withdraw a published version from new assessments; existing ones keep pointing at it."""
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise DefinitionError([NOT_PUBLISHED])
    # The trigger allows this one change on a published version: the status, nothing else.
    QuestionnaireVersion.objects.filter(pk=version.pk).update(status=QuestionnaireVersion.Status.RETIRED)
    version.refresh_from_db()
    return version


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def _import(data: dict, *, checksum: str, source_path: str, publish: bool) -> ImportResult:
    questionnaire = _questionnaire(data["questionnaire"])
    number = data["version"]
    version = (
        QuestionnaireVersion.objects.select_for_update()
        .filter(questionnaire=questionnaire, number=number)
        .first()
    )
    outcome = UNCHANGED
    if version is not None and version.checksum != checksum:
        if version.is_frozen:
            raise DefinitionError(
                [PUBLISHED_CHANGED.format(number=number, code=questionnaire.code, next=number + 1)]
            )
        version.delete()
        version, outcome = None, REPLACED
    if version is None:
        version = _create_version(
            data, questionnaire=questionnaire, checksum=checksum, source_path=source_path
        )
        outcome = CREATED if outcome == UNCHANGED else outcome
    if publish and not version.is_frozen:
        questionnaire_version_publish(version=version)
        outcome = PUBLISHED if outcome == UNCHANGED else outcome
    item_count = sum(len(section["items"]) for section in data["sections"])
    return ImportResult(
        code=questionnaire.code, number=number, outcome=outcome, version=version, item_count=item_count
    )


def _questionnaire(data: dict) -> Questionnaire:
    questionnaire, created = Questionnaire.objects.get_or_create(
        code=data["code"], defaults={"title": data["title"], "theme": data["theme"]}
    )
    if not created and (questionnaire.title, questionnaire.theme) != (data["title"], data["theme"]):
        questionnaire.title, questionnaire.theme = data["title"], data["theme"]
        questionnaire.save(update_fields=["title", "theme", "updated_at"])
    return questionnaire


def _create_version(data: dict, *, questionnaire, checksum: str, source_path: str) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=data["version"],
        checksum=checksum,
        source_path=source_path,
        # jsonb does not keep key order: the file's order of profiles is stored explicitly.
        profile_rules={
            code: {**profile, "order": order}
            for order, (code, profile) in enumerate(data.get("profiles", {}).items())
        },
        carry_over=data.get("carry_over", {}),
    )
    Level.objects.bulk_create(
        Level(version=version, code=level["code"], label=level["label"], colour=level["colour"], rank=rank)
        for rank, level in enumerate(data["levels"])
    )
    QualificationQuestion.objects.bulk_create(
        QualificationQuestion(
            version=version,
            code=question["code"],
            text=question["text"],
            kind=question.get("kind", QualificationQuestion.Kind.YES_NO),
            choices=question.get("choices", []),
            help_text=question.get("help", ""),
            order=order,
        )
        for order, question in enumerate(data.get("qualification", []))
    )
    sections = Section.objects.bulk_create(
        Section(version=version, code=section["code"], title=section["title"], order=order)
        for order, section in enumerate(data["sections"])
    )
    items = Item.objects.bulk_create(_items(data["sections"], sections, version))
    declared = (item for section in data["sections"] for item in section["items"])
    ExpectedProof.objects.bulk_create(
        ExpectedProof(item=item, **expected_proof_fields(proof, order))
        for item, item_data in zip(items, declared, strict=True)
        for order, proof in enumerate(item_data.get("proofs", []))
    )
    return version


def _import_addendum(path: Path, *, version: QuestionnaireVersion, data: dict) -> None:
    """Import the expected proofs of ``proofs-v<N>.yaml`` (see ``ProofAddendum``): once, then frozen."""
    raw = path.read_bytes()
    items = {item["code"]: item for section in data["sections"] for item in section["items"]}
    parsed = parse_proofs_addendum(
        raw,
        code=data["questionnaire"]["code"],
        number=data["version"],
        item_codes=set(items),
        inline={code for code, item in items.items() if "proofs" in item},
    )
    if parsed.errors:
        raise DefinitionError([f"{path.name} : {error}" for error in parsed.errors])
    existing = ProofAddendum.objects.select_for_update().filter(version=version).first()
    if existing is not None and existing.checksum == parsed.checksum:
        return
    if existing is not None:
        if existing.version.is_frozen:
            raise DefinitionError(
                [
                    PROOFS_PUBLISHED_CHANGED.format(
                        name=path.name, number=version.number, code=data["questionnaire"]["code"]
                    )
                ]
            )
        existing.delete()
    addendum = ProofAddendum.objects.create(
        version=version, checksum=parsed.checksum, source_path=_relative(path)
    )
    item_ids = dict(Item.objects.filter(version=version).values_list("code", "id"))
    ExpectedProof.objects.bulk_create(
        ExpectedProof(item_id=item_ids[code], addendum=addendum, **expected_proof_fields(proof, order))
        for code, proofs in parsed.data["items"].items()
        for order, proof in enumerate(proofs)
    )
    transaction.on_commit(partial(expected_proofs_changed.send, sender=ProofAddendum, version_id=version.pk))


def _items(sections_data: list[dict], sections: list[Section], version: QuestionnaireVersion):
    order = 0
    for section_data, section in zip(sections_data, sections, strict=True):
        for item in section_data["items"]:
            yield Item(
                version=version,
                section=section,
                code=item["code"],
                title=item["title"],
                help_text=item.get("help", ""),
                reference=item.get("reference", ""),
                order=order,
                na_allowed=bool(item.get("na_allowed", True)),
                na_condition=na_allowed if isinstance(na_allowed := item.get("na_allowed"), dict) else None,
                declaration_condition=item.get("declaration_if"),
                wave=_wave(item.get("wave")),
                level_descriptions=item.get("levels", {}),
                applicability=item.get("applies_if"),
            )
            order += 1


def _wave(wave: dict | None) -> dict:
    """The item's wave as stored (a YAML date becomes its ISO text)."""
    if not wave:
        return {}
    return {**wave, **({"effective": str(wave["effective"])} if "effective" in wave else {})}
