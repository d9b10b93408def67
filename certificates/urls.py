from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.verify_form, name="verify_form"),
    path("evaluations/<uuid:assessment_public_id>/<slug:kind>/", views.request_document, name="request"),
    path("documents/<uuid:public_id>/", views.status, name="status"),
    path("documents/<uuid:public_id>/telecharger/", views.download, name="download"),
    # Last: a code is any single path segment, normalised by the view.
    path("<str:code>", views.verify, name="verify"),
]
