"""Reachability checks of the services the application depends on."""

from django.conf import settings
from django.db import connection
from kombu import Connection

CHECK_TIMEOUT_SECONDS = 2


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok() -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=CHECK_TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=CHECK_TIMEOUT_SECONDS)
        return True
    except Exception:
        return False


def health_report() -> dict:
    """``{"status": "ok"|"error", "checks": {name: "ok"|"error"}}``; the broker only when configured."""
    checks = {"database": database_ok()}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = broker_ok()
    healthy = all(checks.values())
    return {
        "status": "ok" if healthy else "error",
        "checks": {name: "ok" if ok else "error" for name, ok in checks.items()},
    }
