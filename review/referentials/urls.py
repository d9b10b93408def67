from django.urls import path

from review.referentials import views

app_name = "referentials"

urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("<uuid:public_id>/", views.version_detail, name="version"),
    path("<uuid:public_id>/differences/", views.version_comparison, name="comparison"),
]
