from django.urls import path

from portal.products import views

app_name = "products"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("nouveau/", views.product_create, name="create"),
    path("<uuid:public_id>/", views.product_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.product_edit, name="edit"),
    path("<uuid:public_id>/versions/nouvelle/", views.version_create, name="version_create"),
    path("versions/<uuid:public_id>/modifier/", views.version_edit, name="version_edit"),
]
