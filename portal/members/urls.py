from django.urls import path

from portal.members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("inviter/", views.member_invite, name="invite"),
    path("<uuid:public_id>/role/", views.member_change_role, name="change_role"),
    path("<uuid:public_id>/desactiver/", views.member_deactivate, name="deactivate"),
    path("invitations/<uuid:public_id>/annuler/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
