"""The W3C Nu Html Checker (``vnu.jar`` from the npm package ``vnu-jar``, see package.json) over the
pages a browser test visited: every HTML document the server sent, as sent (before any script ran)."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.system import require_debian_tool

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_checker() -> None:
    """Skip when the checker is absent (fail under CI, where ``make test`` installs it)."""
    require_debian_tool("java", package="default-jre-headless")
    if not VNU_JAR.exists():
        message = f"{VNU_JAR} est absent : lancez « npm ci » (make test le fait)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def nu_errors(documents: list[tuple[str, str]]) -> list[str]:
    """The checker's errors over ``documents`` ((address, HTML) pairs), each as "address:line: message"."""
    if not documents:
        return []
    directory = Path(tempfile.mkdtemp(prefix="nu-"))
    try:
        names = {}
        for index, (address, html) in enumerate(documents):
            path = directory / f"page-{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = address
        result = subprocess.run(
            [
                "java",
                "-Xss4m",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                "--stdout",
                str(directory),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        report = json.loads(result.stdout or "{}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return [
        f"{names.get(Path(message.get('url', '')).name, message.get('url'))}:{message.get('lastLine', '?')}: "
        f"{message['message']}"
        f" — « {message.get('extract', '').strip()[:120]} »"
        for message in report.get("messages", [])
        if message.get("type") == "error"
    ]
