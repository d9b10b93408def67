"""``python manage.py evaluate_profiles [FILE]``: DMP-compatibility profiles of interchange documents.

Reads one document (a JSON object) or a JSON array of them from FILE, or standard input when no FILE
is given, and prints ``{"profiles": {...}}`` for each (an array for an array input), using the
published questionnaire version named by each document. Nothing is written to the database. Invalid
input: every problem is listed on standard error and the exit code is 2.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.interchange import document_levels, questionnaire_reference, validate_document
from questionnaires.models import QuestionnaireVersion
from questionnaires.profiles import evaluate
from questionnaires.selectors import published_version, version_definition

INVALID_JSON = "JSON illisible : {error}"
TOO_DEEP = "JSON illisible : des objets ou tableaux imbriqués sur des centaines de niveaux."
UNREADABLE = "{path} : fichier illisible ({error})."
UNKNOWN_VERSION = "questionnaire : aucune version publiée « {code} v{number} »."
INVALID_INPUT = "{count} problème(s) dans l'entrée ; aucune évaluation produite."


class Command(BaseCommand):
    help = (
        "Calcule les profils de compatibilité DMP de documents d'échange JSON (fichier ou entrée standard)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", metavar="FILE", help="fichier JSON ; entrée standard si absent"
        )

    def handle(self, *args, file, **options):
        payload = self._load(file)
        documents = payload if isinstance(payload, list) else [payload]
        definitions, errors = self._definitions(documents, many=isinstance(payload, list))
        if errors:
            self._fail(errors)
        results = [
            self._profiles(document, definition)
            for document, definition in zip(documents, definitions, strict=True)
        ]
        output = results if isinstance(payload, list) else results[0]
        self.stdout.write(json.dumps(output, ensure_ascii=False))

    def _load(self, file):
        try:
            if file is None:
                return json.load(sys.stdin)
            with open(file, encoding="utf-8") as handle:
                return json.load(handle)
        except OSError as error:
            self._fail([UNREADABLE.format(path=file, error=error.strerror)])
        except (ValueError, UnicodeDecodeError) as error:
            self._fail([INVALID_JSON.format(error=error)])
        except RecursionError:
            self._fail([TOO_DEEP])

    def _fail(self, errors: list[str]):
        for message in errors:
            self.stderr.write(message)
        raise CommandError(INVALID_INPUT.format(count=len(errors)), returncode=2)

    def _definitions(self, documents: list, *, many: bool) -> tuple[list, list[str]]:
        """The definition of each document's version (each version resolved once) and every error."""
        by_reference: dict = {}
        definitions, errors = [], []
        for index, document in enumerate(documents):
            prefix = f"document [{index}] : " if many else ""
            definition, document_errors = self._definition(document, by_reference)
            if definition is not None:
                document_errors += validate_document(document, definition)
            definitions.append(definition)
            errors += [prefix + message for message in document_errors]
        return definitions, errors

    def _definition(self, document, by_reference: dict) -> tuple[dict | None, list[str]]:
        reference, errors = questionnaire_reference(document)
        if reference is None:
            return None, errors
        if reference not in by_reference:
            try:
                by_reference[reference] = version_definition(published_version(*reference).pk)
            except QuestionnaireVersion.DoesNotExist:
                by_reference[reference] = None
        if by_reference[reference] is None:
            return None, [UNKNOWN_VERSION.format(code=reference[0], number=reference[1])]
        return by_reference[reference], []

    def _profiles(self, document: dict, definition: dict) -> dict:
        qualification, levels = document_levels(document)
        results = evaluate(definition["profile_rules"], qualification, levels, definition["level_ranks"])
        return {"profiles": {code: result.as_dict() for code, result in results.items()}}
