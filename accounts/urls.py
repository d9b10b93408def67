from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("connexion/reprise/", views.session_resumed, name="session_resumed"),
    path("accueil/", views.start, name="start"),
    path("conditions-generales/", views.terms_accept, name="terms"),
    path("mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path("double-authentification/", views.second_factor, name="second_factor"),
    path("double-authentification/configurer/", views.second_factor_setup, name="second_factor_setup"),
    path("double-authentification/nouvelle-cle/", views.second_factor_start, name="second_factor_start"),
    path("double-authentification/verifier/", views.second_factor_verify, name="second_factor_verify"),
    path(
        "double-authentification/codes-de-secours/",
        views.second_factor_recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("double-authentification/desactiver/", views.second_factor_disable, name="second_factor_disable"),
]
