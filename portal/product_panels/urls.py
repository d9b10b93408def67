from django.urls import path

from portal.product_panels import views

app_name = "product_panels"

urlpatterns = [
    path("<uuid:public_id>/historique/", views.history, name="history"),
    path("<uuid:public_id>/moyennes/", views.comparison, name="comparison"),
]
