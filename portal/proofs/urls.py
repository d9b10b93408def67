from django.urls import path

from portal.proofs import views

app_name = "proofs"

urlpatterns = [
    path("<uuid:public_id>/exigences/<str:code>/preuves/", views.item_proofs, name="item"),
    path(
        "<uuid:public_id>/exigences/<str:code>/preuves/<slug:proof_code>/deposer/",
        views.proof_upload,
        name="upload",
    ),
    path(
        "<uuid:public_id>/exigences/<str:code>/preuves/<slug:proof_code>/ajouter/",
        views.proof_add,
        name="add",
    ),
    path("<uuid:public_id>/preuves/<uuid:proof_id>/retirer/", views.proof_withdraw, name="withdraw"),
    path("<uuid:public_id>/preuves/<uuid:proof_id>/fichier/", views.proof_download, name="download"),
]
