"""A database set up the way production is (``DJANGO_DEBUG=false``, the compose ``migrate`` step) gets
the repository's referentials, published, and no demo data; ``load_demo`` refuses to run there.

The commands run in subprocesses with production settings against a scratch database of the test
PostgreSQL server, created and dropped here.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from demo.management.commands.load_demo import PRODUCTION_REFUSED
from questionnaires.services import DEFINITIONS_DIR, definition_files
from tests.conftest import _database_url

BASE_DIR = Path(settings.BASE_DIR)


def _server_settings() -> dict:
    return {**settings.DATABASES["default"], "NAME": "postgres"}


def _connect(name: str):
    server = _server_settings()
    return psycopg.connect(
        dbname=name,
        user=server["USER"] or "postgres",
        password=server["PASSWORD"] or None,
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        autocommit=True,
    )


@pytest.fixture
def scratch_database():
    name = f"conv_production_{uuid.uuid4().hex[:10]}"
    with _connect("postgres") as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _connect("postgres") as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(database: str, *arguments: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "production-test-" + "k7Qz9vX2mW4pR8sT1uY6" * 3,
        "DJANGO_ALLOWED_HOSTS": "convergence.example.fr",
        "DATABASE_URL": _database_url({**_server_settings(), "NAME": database}),
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "DJANGO_DB_POOL": "false",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _count(database: str, sql: str) -> int:
    with _connect(database) as connection:
        return connection.execute(sql).fetchone()[0]


def test_production_database_gets_published_referentials_and_no_demo_data(scratch_database):
    migrate = _manage(scratch_database, "migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stderr
    first = _manage(scratch_database, "import_definitions")
    assert first.returncode == 0, first.stderr
    assert "publiée" in first.stdout
    again = _manage(scratch_database, "import_definitions")  # every deployment runs it again
    assert again.returncode == 0, again.stderr
    assert "inchangée" in again.stdout and "créée" not in again.stdout

    files = definition_files([str(DEFINITIONS_DIR)])
    assert len(files) >= 3
    published = "SELECT count(*) FROM questionnaires_questionnaireversion WHERE status = 'published'"
    assert _count(scratch_database, published) == len(files)
    assert _count(scratch_database, "SELECT count(*) FROM questionnaires_questionnaireversion") == len(files)
    assert _count(scratch_database, "SELECT count(*) FROM questionnaires_item") > 0

    refused = _manage(scratch_database, "load_demo")
    assert refused.returncode == 1
    assert PRODUCTION_REFUSED in " ".join(refused.stderr.split())
    for table in ("accounts_user", "companies_company", "products_product", "assessments_assessment"):
        assert _count(scratch_database, f"SELECT count(*) FROM {table}") == 0, table
