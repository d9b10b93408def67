"""gunicorn reads ``gunicorn.conf.py`` from the directory it starts in (the image's ``/app``, the
checkout): once a worker has loaded the application, its long-lived objects are frozen out of the
garbage collector's reach (no full collection stopping the worker to scan them)."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _frozen_in_worker(*options: str) -> int:
    """Start gunicorn as the image does (from the repository's root), one worker, and ask it."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tests.core.gc_probe:application",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen([*command, "--workers", "1", *options], cwd=BASE_DIR)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    return int(response.read())
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.xdist_group("gunicorn")
def test_worker_freezes_what_the_application_loaded(tmp_path):
    frozen = _frozen_in_worker()
    # Django and the project's apps: far more than gunicorn's own modules.
    assert frozen > 50_000
    empty = tmp_path / "empty.conf.py"
    empty.write_text("")
    assert _frozen_in_worker("--config", str(empty)) == 0
