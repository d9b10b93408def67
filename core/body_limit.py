"""A request body over ``settings.REQUEST_BODY_MAX_SIZE`` is refused (413) before anything reads it.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves the files of a multipart body out of its count: any
view reading ``request.POST`` would otherwise stream an upload of any size to disk first. The limit
is the declared ``Content-Length``; a body without one is not read at all by Django. The reverse proxy
refuses the same size before the application (README: ``client_max_body_size``).

A view that takes larger bodies (a proof upload: a video) says so with ``@body_limit(size)``; the
larger limit applies to its route only, and the view then enforces its own, finer limit.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve

BODY_TOO_LARGE = (
    "L'envoi dépasse {size} Mo, la taille maximale acceptée : il n'a pas été lu. "
    "Allégez le fichier joint (un justificatif PDF fait au plus 5 Mo) puis recommencez."
)


def declared_body_size(request) -> int:
    """The ``Content-Length`` of the request, 0 when absent or unreadable (as Django reads it)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def body_limit(size: int):
    """Let the decorated view receive bodies up to ``size`` bytes instead of the global limit."""

    def decorator(view):
        view.request_body_max_size = size
        return view

    return decorator


def route_limit(request) -> int:
    """The body limit of the view the request goes to (resolved only for an oversized body)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return settings.REQUEST_BODY_MAX_SIZE
    return getattr(view, "request_body_max_size", settings.REQUEST_BODY_MAX_SIZE)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_SIZE
        size = declared_body_size(request)
        if size > limit:
            limit = route_limit(request)
        if size > limit:
            message = BODY_TOO_LARGE.format(size=limit // (1024 * 1024))
            return render(request, "core/request_too_large.html", {"message": message}, status=413)
        return self.get_response(request)
