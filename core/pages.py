"""The public information pages every page's footer links to: legal notice, personal data,
accessibility statement, site map. Plain templates: nothing here reads the database."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from core.access import public

app_name = "pages"

# The accessibility statement's date and result: update both after each audit.
ACCESSIBILITY = {"status": "partiellement conforme", "standard": "RGAA 4.1", "date": "30 novembre 2026"}


def _page(template: str, extra: dict | None = None):
    @public
    @require_GET
    def view(request):
        return render(request, f"core/pages/{template}.html", extra or {})

    view.__name__ = template.replace("-", "_")
    return view


urlpatterns = [
    path("mentions-legales/", _page("legal_notice"), name="legal_notice"),
    path("donnees-personnelles/", _page("personal_data"), name="personal_data"),
    path("accessibilite/", _page("accessibility", {"accessibility": ACCESSIBILITY}), name="accessibility"),
    path("plan-du-site/", _page("site_map"), name="site_map"),
]
