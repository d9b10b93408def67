from django.conf import settings


def site(request):
    """Values every page shows; no database access here (it runs on every page)."""
    return {"SITE_NAME": "Convergence", "SUPPORT_EMAIL": settings.SUPPORT_EMAIL}
