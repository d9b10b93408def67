"""A WSGI application for tests/core/test_gunicorn_conf.py: the project's own application loaded as
the image loads it, answering every request with the number of objects the worker's garbage
collector has frozen (``gc.get_freeze_count()``)."""

import gc

from convergence.wsgi import application as project  # noqa: F401 (loaded, as in production)


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(gc.get_freeze_count()).encode()]
