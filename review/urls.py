from django.urls import include, path

app_name = "review"

urlpatterns: list = [
    path("demandes-de-compte/", include("review.account_requests.urls")),
    path("referentiels/", include("review.referentials.urls")),
]
