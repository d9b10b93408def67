from django.urls import path

from review.assessments import documents, views
from review.dashboard.views import assessment_list

app_name = "assessments"

urlpatterns = [
    path("", assessment_list, name="list"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
    path("<uuid:public_id>/prendre/", views.assessment_take, name="take"),
    path("<uuid:public_id>/commentaires/", views.comment_create, name="comment"),
    path("<uuid:public_id>/decision/", views.assessment_decide, name="decide"),
    path("<uuid:public_id>/journal/", views.assessment_trail_view, name="trail"),
    path("<uuid:public_id>/attestation/", views.attestation_reissue, name="reissue"),
    path(
        "<uuid:public_id>/documents/<uuid:certificate_id>/revoquer/",
        documents.certificate_revoke_view,
        name="revoke",
    ),
]
