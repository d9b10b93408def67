from django.urls import path

from review.helpcentre import views

app_name = "helpcentre"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("nouvelle/", views.entry_create, name="create"),
    path("<uuid:public_id>/", views.entry_edit, name="edit"),
    path("<uuid:public_id>/historique/", views.entry_history, name="history"),
]
