"""Programs from Debian's packages that some tests need (CI installs them, see .ci/run)."""

import os
import shutil

import pytest


def require_debian_tool(command: str, *, package: str) -> None:
    """Skip the test when a program from Debian's packages is absent (fail under CI, which installs it)."""
    if shutil.which(command) is None:
        message = f"{command} est absent : installez le paquet Debian {package}."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
