from django.conf import settings


def site(request):
    """Values every page shows; no database access here (it runs on every page).

    ``page_view`` and ``page_namespace``: the URL name (with its namespaces) and the namespace of the
    page shown, empty for a page no URL matched (an error page); the navigation's cached fragments
    vary on them."""
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": "Convergence",
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "page_view": match.view_name if match else "",
        "page_namespace": match.namespace if match else "",
    }
