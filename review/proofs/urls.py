from django.urls import path

from review.proofs import views

app_name = "proofs"

urlpatterns = [
    path("<uuid:public_id>/preuves/", views.assessment_proofs, name="list"),
    path("<uuid:public_id>/preuves/<uuid:proof_id>/verdict/", views.proof_verdict, name="verdict"),
    path("<uuid:public_id>/preuves/<uuid:proof_id>/fichier/", views.proof_download, name="download"),
    path("<uuid:public_id>/preuves/<uuid:proof_id>/lecture/", views.proof_inline, name="inline"),
]
