from http import HTTPStatus

from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy of ``settings.CONTENT_SECURITY_POLICY`` on every response.

    Every page has the same policy (no nonce, no view changes it), so it is built once, when the
    middleware is (by django-csp's own builder), where django-csp's middleware builds it anew for
    each response: 63 µs, 4 % of a request that does nothing (the trivial view of
    bench/questionnaire.py). A response that already carries a policy keeps it. As with django-csp,
    Django's debug pages of a 404 or a 500 (DEBUG only) get none: their scripts are inline.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (
            HTTPStatus.NOT_FOUND,
            HTTPStatus.INTERNAL_SERVER_ERROR,
        ):
            return response
        if self.policy and HEADER not in response:
            response[HEADER] = self.policy
        return response


class NoStoreWhenSignedInMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in person.

    Their pages and downloads (answers, proofs, attestations) must stay neither in a shared cache
    nor on the disk of a shared computer after they sign out. ``no-store`` says it all: Django's
    ``add_never_cache_headers`` would add ``max-age=0, no-cache, must-revalidate`` and an ``Expires``
    date, which change nothing once nothing is stored, for twice the work on every signed-in request.
    A view's own directives are kept (``public`` gives way to ``private``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
