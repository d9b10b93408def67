"""Demo loader: import and publish every definition file of the repository (idempotent)."""

from django.conf import settings

from questionnaires.services import UNCHANGED, definition_files, questionnaire_import

DEFINITIONS_DIR = settings.BASE_DIR / "questionnaires" / "definitions"


def load(stdout) -> list[tuple[str, str]]:
    for path in definition_files([str(DEFINITIONS_DIR)]):
        result = questionnaire_import(path=path, publish=True)
        if result.outcome != UNCHANGED:
            stdout.write(f"Référentiel {result.code} v{result.number} importé et publié.")
    return []
