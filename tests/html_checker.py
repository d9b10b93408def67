"""The W3C Nu Html Checker (``vnu.jar`` from the npm package ``vnu-jar``, see package.json) over the
pages a browser test visited: every HTML document the server sent, as sent (before any script ran).

The checker runs as its own web service (``nu.validator.servlet.Main``, in the same jar), one per test
process, started on first use and stopped when the process ends: a Java start and the schemas'
loading cost a few seconds of CPU, paid once instead of once per test."""

import atexit
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.system import require_debian_tool

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
START_SECONDS = 120
# Above the largest page the tests send (the service refuses bigger documents).
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
# What the checker reports as failures: markup errors, and a document it could not check at all.
FAILURES = {"error", "non-document-error"}

_service: dict = {}


def require_checker() -> None:
    """Skip when the checker is absent (fail under CI, where ``make test`` installs it)."""
    require_debian_tool("java", package="default-jre-headless")
    if not VNU_JAR.exists():
        message = f"{VNU_JAR} est absent : lancez « npm ci » (make test le fait)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def checker_address() -> str:
    """The address of this process's checker service, started now if it is not running."""
    process = _service.get("process")
    if process is not None and process.poll() is None:
        return _service["address"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = ["java", "-Xss4m", "-Dnu.validator.servlet.bind-address=127.0.0.1"]
    command += [f"-Dnu.validator.servlet.max-file-size={MAX_DOCUMENT_BYTES}"]
    command += ["-cp", str(VNU_JAR), "nu.validator.servlet.Main", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(_stop, process)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Le Nu Html Checker s'est arrêté au démarrage (code {process.returncode}).")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        _stop(process)
        raise RuntimeError(f"Le Nu Html Checker ne répond pas après {START_SECONDS} s.")
    _service.update(process=process, address=f"http://127.0.0.1:{port}/?out=json")
    return _service["address"]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _check(address: str, html: str) -> list[dict]:
    request = urllib.request.Request(
        address, data=html.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.load(response).get("messages", [])


def nu_errors(documents: list[tuple[str, str]]) -> list[str]:
    """The checker's errors over ``documents`` ((address, HTML) pairs), each as "address:line: message"."""
    if not documents:
        return []
    address = checker_address()
    return [
        f"{label}:{message.get('lastLine', '?')}: {message['message']}"
        f" — « {message.get('extract', '').strip()[:120]} »"
        for label, html in documents
        for message in _check(address, html)
        if message.get("type") in FAILURES
    ]
