"""The project's URLconf and error handlers, plus views that fail, for tests/core/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from convergence import urls
from core.access import public


@public
def crash(request):
    raise RuntimeError("Panne simulée pour le test de la page 500.")


@public
def forbidden_without_reason(request):
    raise PermissionDenied


@public
def suspicious(request):
    raise SuspiciousOperation("Requête forgée.")


handler400, handler403, handler404, handler500 = (
    urls.handler400,
    urls.handler403,
    urls.handler404,
    urls.handler500,
)
urlpatterns = [
    *urls.urlpatterns,
    path("test/panne/", crash),
    path("test/interdit/", forbidden_without_reason),
    path("test/suspect/", suspicious),
]
