from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("export.csv", views.catalogue_export, name="export"),
    path("produits/<uuid:public_id>/", views.product_detail, name="product"),
    path("produits/<uuid:public_id>/abonnement/", views.subscription_create, name="subscribe"),
    path("abonnement/confirmer/<str:token>/", views.subscription_confirm, name="subscription_confirm"),
    path("abonnement/desabonner/<str:token>/", views.subscription_cancel, name="subscription_cancel"),
]
