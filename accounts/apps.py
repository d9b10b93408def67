from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from accounts import second_factor, terms_gate
        from accounts.models import TermsVersion

        for signal in (post_save, post_delete):
            signal.connect(
                terms_gate.forget_current_version, sender=TermsVersion, dispatch_uid=f"terms-{signal}"
            )
        user_logged_in.connect(terms_gate.remember_on_login, dispatch_uid="terms-on-login")
        user_logged_in.connect(second_factor.mark_pending_on_login, dispatch_uid="second-factor-on-login")
