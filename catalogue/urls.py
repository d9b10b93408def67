from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("export.csv", views.catalogue_export, name="export"),
    path("produits/<uuid:public_id>/", views.product_detail, name="product"),
]
