from django.urls import include, path

app_name = "review"

urlpatterns: list = [
    path("", include("review.dashboard.urls")),
    path("evaluations/", include("review.assessments.urls")),
    path("evaluations/", include("review.proofs.urls")),
    path("candidatures-dmn/", include("review.dmn.urls")),
    path("statistiques/", include("review.statistics.urls")),
    path("abonnements/", include("review.subscriptions.urls")),
    path("demandes-de-compte/", include("review.account_requests.urls")),
    path("referentiels/", include("review.referentials.urls")),
    path("centre-d-aide/", include("review.helpcentre.urls")),
]
