from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.terms_gate import terms_pending

# Pages a user must reach before accepting the terms: the account pages themselves (terms, logout,
# password, second factor), public pages, static files and the health probe.
EXEMPT_PREFIXES = ("/compte/", "/static/", "/healthz", "/verifier/", "/demande-de-compte/")
EXEMPT_PATHS = ("/",)


class TermsAcceptanceMiddleware:
    """A logged-in user who has not accepted the current terms of use is sent to accept them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_accept(request):
            url = f"{reverse('accounts:terms')}?{urlencode({'next': request.get_full_path()})}"
            if getattr(request, "htmx", False):
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _must_accept(request) -> bool:
        path = request.path_info
        if path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES):
            return False
        return request.user.is_authenticated and terms_pending(request)
