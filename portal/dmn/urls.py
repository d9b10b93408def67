from django.urls import path

from portal.dmn import views

app_name = "dmn"

urlpatterns = [
    path("", views.candidature_list, name="list"),
    path("produits/<uuid:public_id>/qualite/", views.capacity_declare, name="capacity"),
    path("versions/<uuid:public_id>/candidature/", views.candidature_create, name="create"),
    path("<uuid:public_id>/", views.candidature_detail, name="detail"),
    path("<uuid:public_id>/soumettre/", views.candidature_submit, name="submit"),
    path("<uuid:public_id>/nouvelle-version/", views.candidature_renew, name="renew"),
]
