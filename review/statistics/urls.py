from django.urls import path

from review.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.statistics_index, name="index"),
    path("<uuid:version_public_id>/<slug:table>.csv", views.statistics_export, name="export"),
]
