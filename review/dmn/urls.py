from django.urls import path

from review.dmn import views

app_name = "dmn"

urlpatterns = [
    path("", views.candidature_list, name="list"),
    path("<uuid:public_id>/", views.candidature_detail, name="detail"),
    path("<uuid:public_id>/prendre/", views.candidature_take, name="take"),
    path("<uuid:public_id>/decision/", views.candidature_decide, name="decide"),
]
