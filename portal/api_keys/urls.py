from django.urls import path

from portal.api_keys import views

app_name = "api_keys"

urlpatterns = [
    path("", views.api_key_list, name="list"),
    path("<uuid:public_id>/revoquer/", views.api_key_revoke_view, name="revoke"),
]
