from http import HTTPStatus

from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings
from django.utils.cache import add_never_cache_headers


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
    nor on the disk of a shared computer after they sign out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
