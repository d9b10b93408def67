from django.urls import path

from portal.account_requests import views

app_name = "account_requests"

urlpatterns = [
    path("", views.account_request_create, name="create"),
    path("envoyee/", views.account_request_sent, name="sent"),
]
