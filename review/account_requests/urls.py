from django.urls import path

from review.account_requests import views

app_name = "account_requests"

urlpatterns = [
    path("", views.account_request_list, name="list"),
    path("traitees/", views.account_request_decided_list, name="decided"),
    path("<uuid:public_id>/", views.account_request_detail, name="detail"),
    path("<uuid:public_id>/justificatif/", views.account_request_document, name="document"),
    path("<uuid:public_id>/accepter/", views.account_request_approve, name="approve"),
    path("<uuid:public_id>/refuser/", views.account_request_reject, name="reject"),
]
