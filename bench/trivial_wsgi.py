"""The project's WSGI application plus one trivial view, for benchmarks only (never deployed).

``/bench/trivial/`` returns a constant response through the same middleware stack as every page, so
page timings can be expressed as multiples of "a Django request that does nothing".
"""

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

application = get_wsgi_application()

from convergence import urls  # noqa: E402


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urls.urlpatterns.append(path("bench/trivial/", trivial))
