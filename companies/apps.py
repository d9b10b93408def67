from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "Entreprises"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from companies.current import keep_memberships_on_login

        user_logged_in.connect(keep_memberships_on_login, dispatch_uid="companies-memberships-on-login")
