"""Production settings: refuse to start when unsafe, and pass ``check --deploy`` when configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_EMAIL_URL = "smtp+tls://convergence:secret@smtp.convergence.example:587"
PRODUCTION_SECRET = "k3v9-Qz!r8mX2#pL7wT0yB4nF6jH1sD5gA9cE3uK8oI2vR7bN0mZ4xW6qY1tP5"


def run_django(code_or_args: list[str], **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "EMAIL_URL"}
    env.update(environment)
    return subprocess.run(
        [sys.executable, *code_or_args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(
        ["manage.py", "check"], DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="convergence.example"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY doit être défini" in result.stderr


def test_production_refuses_the_development_secret_key():
    from convergence.settings import DEVELOPMENT_SECRET_KEY

    result = run_django(
        ["manage.py", "check"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=DEVELOPMENT_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="convergence.example",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY doit être défini" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_django(["manage.py", "check"], DJANGO_DEBUG="false", DJANGO_SECRET_KEY=PRODUCTION_SECRET)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS doit être défini" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        DJANGO_ALLOWED_HOSTS="convergence.example",
        EMAIL_URL=PRODUCTION_EMAIL_URL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "email_url", ["", "consolemail://", "memorymail://", "filemail:///tmp/mails", "dummymail://"]
)
def test_production_refuses_an_e_mail_backend_that_delivers_nothing(email_url):
    environment = {"EMAIL_URL": email_url} if email_url else {}
    result = run_django(
        ["manage.py", "check"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        DJANGO_ALLOWED_HOSTS="convergence.example",
        **environment,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_URL doit désigner un vrai serveur d'envoi" in result.stderr


def test_development_defaults():
    result = run_django(
        [
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'convergence.settings');"
            "django.setup(); from django.conf import settings as s;"
            "print(s.DEBUG, s.EMAIL_BACKEND, s.LANGUAGE_CODE, s.TIME_ZONE, s.DATABASES['default']['ENGINE'])",
        ]
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "fr",
        "Europe/Paris",
        "django.db.backends.postgresql",
    ]


def test_sqlite_is_refused():
    result = run_django(["manage.py", "check"], DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr
