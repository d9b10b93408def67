from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("compte/", include("accounts.urls")),
    path("demande-de-compte/", include("portal.account_requests.urls")),
    path("espace/", include("portal.urls")),
    path("instruction/", include("review.urls")),
    path("verifier/", include("certificates.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("api/", include("api.urls")),
    path("aide/", include("helpcentre.urls")),
    path("", include("core.pages")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# French DSFR error pages when DEBUG is off (core/errors.py).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
