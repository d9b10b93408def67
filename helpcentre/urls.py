from django.urls import path

from helpcentre import views

app_name = "helpcentre"

urlpatterns = [
    path("", views.entry_list, name="index"),
    path("exigences/<str:code>/", views.item_detail, name="item"),
    path("<slug:slug>/", views.entry_detail, name="entry"),
    path("<slug:slug>/avis/", views.entry_vote, name="vote"),
]
