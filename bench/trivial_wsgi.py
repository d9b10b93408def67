"""The project's WSGI application plus one trivial view, for benchmarks only (never deployed).

``/bench/trivial/`` returns a constant response through the same middleware stack as every page, so
page timings can be expressed as multiples of "a Django request that does nothing".
``/bench/trivial/public/`` is the same for anonymous clients (a public page's access level).
"""

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

application = get_wsgi_application()

from convergence import urls  # noqa: E402
from core.access import public  # noqa: E402


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urls.urlpatterns.append(path("bench/trivial/", trivial))
urls.urlpatterns.append(path("bench/trivial/public/", public(lambda request: trivial(request))))
