"""The compose file and the Dockerfile agree with the settings (no Docker engine needed)."""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def settings_source():
    # The settings, and the helper they call to choose the storage from the environment.
    return (BASE_DIR / "convergence" / "settings.py").read_text() + (
        BASE_DIR / "core" / "storage.py"
    ).read_text()


def test_compose_has_every_service(compose):
    assert set(compose["services"]) == {"db", "redis", "minio", "bucket", *APP_SERVICES}


def test_web_and_workers_run_two_replicas_on_shared_object_storage(compose):
    services = compose["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["minio"]["image"].startswith("minio/minio")
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["AWS_S3_ENDPOINT_URL"].endswith("http://minio:9000}")
        assert environment["AWS_STORAGE_BUCKET_NAME"]
        assert "PRIVATE_MEDIA_ROOT" not in environment  # no file on a replica's own disk
        assert services[name]["depends_on"]["bucket"]["condition"] == "service_completed_successfully"


def test_database_is_postgresql_15_or_newer_with_a_health_check(compose):
    db = compose["services"]["db"]
    image, tag = db["image"].split(":")
    assert image == "postgres" and int(tag.split(".")[0]) >= 15
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "redis-cli" in compose["services"]["redis"]["healthcheck"]["test"]


def test_app_services_read_only_variables_the_settings_know(compose, settings_source):
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        for variable in environment:
            assert re.search(rf'"{variable}"', settings_source), f"{name}: {variable} is not read by settings"


def test_app_services_point_at_the_compose_database_and_redis(compose):
    db_env = compose["services"]["db"]["environment"]
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        database = urlparse(environment["DATABASE_URL"].replace("${POSTGRES_PASSWORD:-convergence}", "pw"))
        assert (database.scheme, database.hostname, database.port) == ("postgres", "db", 5432)
        assert database.username == db_env["POSTGRES_USER"]
        assert database.path.lstrip("/") == db_env["POSTGRES_DB"]
        assert urlparse(environment["REDIS_URL"]).hostname == "redis"
        assert environment["DJANGO_DEBUG"] == "false"
        assert "DJANGO_SECRET_KEY" in environment
        assert compose["services"][name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert compose["services"][name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_commands_match_the_project(compose):
    services = compose["services"]
    # The deploy step: the schema, then the referentials and the help centre's answers (a production
    # database gets no demo data).
    assert services["migrate"]["command"] == [
        "sh",
        "-c",
        "python manage.py migrate --noinput && python manage.py import_definitions && python manage.py import_help_centre",
    ]
    assert services["web"]["command"][:2] == ["gunicorn", "convergence.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "convergence", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "convergence", "beat"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_dockerfile_has_weasyprint_libraries_and_pinned_requirements():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"):
        assert package in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert "USER convergence" in dockerfile


def test_requirements_are_pinned():
    for line in (BASE_DIR / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+\-]+", line), line
