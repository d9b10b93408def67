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
    path(settings.ADMIN_URL, admin.site.urls),
]
