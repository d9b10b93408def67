from django.urls import include, path

from portal.dashboard import views as dashboard

app_name = "portal"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("entreprise/changer/", dashboard.company_switch, name="company_switch"),
    path("entreprise/membres/", include("portal.members.urls")),
    path("entreprise/cles-api/", include("portal.api_keys.urls")),
    path("produits/", include("portal.products.urls")),
    path("produits/", include("portal.product_panels.urls")),
    path("evaluations/", include("portal.assessments.urls")),
    path("evaluations/", include("portal.proofs.urls")),
    path("candidatures-dmn/", include("portal.dmn.urls")),
]
