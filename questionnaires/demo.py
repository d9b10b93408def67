"""Demo loader: import and publish every definition file of the repository (idempotent)."""

from questionnaires.services import DEFINITIONS_DIR, UNCHANGED, definition_files, questionnaire_import


def load(stdout) -> list[tuple[str, str]]:
    for path in definition_files([str(DEFINITIONS_DIR)]):
        result = questionnaire_import(path=path, publish=True)
        if result.outcome != UNCHANGED:
            stdout.write(f"Référentiel {result.code} v{result.number} importé et publié.")
    return []
