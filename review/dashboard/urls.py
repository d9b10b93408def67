from django.urls import path

from review.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
]
