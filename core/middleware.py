from django.utils.cache import add_never_cache_headers


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
