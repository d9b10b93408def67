"""The apps' layers (pyproject.toml, ``[tool.importlinter]``): no app imports one above it or a
sibling, so no two apps import each other. ``make test`` runs ``lint-imports`` too; these tests say
why a run failed and keep a new app from slipping past the contracts."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layered_packages() -> set[str]:
    (layers,) = [contract["layers"] for contract in CONFIG["contracts"] if contract["type"] == "layers"]
    return {name.strip() for layer in layers for name in layer.split("|")}


def test_no_app_imports_a_higher_layer_or_a_sibling():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_every_app_of_ours_sits_in_a_layer():
    ours = {app for app in settings.INSTALLED_APPS if (BASE_DIR / app).is_dir()} | {"convergence"}
    assert ours == set(CONFIG["root_packages"])
    assert ours == _layered_packages()
