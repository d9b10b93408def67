from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django_otp import match_token

from accounts import login_throttle
from accounts.emails import send_templated_email
from accounts.models import User
from core.client_ip import client_ip_address


class LoginForm(AuthenticationForm):
    """Login by e-mail address."""

    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
        "throttled": login_throttle.LOGIN_THROTTLED,
    }

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not (email and password):
            return self.cleaned_data
        if login_throttle.login_refused(email=email, address=client_ip_address(self.request)):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                login_throttle.login_failure_record(email=email)
            raise


class TermsAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label="J'ai lu et j'accepte les conditions générales d'utilisation",
        error_messages={
            "required": "Vous devez accepter les conditions générales d'utilisation pour continuer."
        },
    )


class TotpCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Code à 6 chiffres")
        kwargs.setdefault("max_length", 16)
        attrs = {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def clean(self, value):
        return "".join(super().clean(value).split())


class SecondFactorSetupForm(forms.Form):
    token = TotpCodeField(help_text="Le code affiché par votre application après avoir scanné le QR code.")


class SecondFactorVerifyForm(forms.Form):
    SECOND_FACTOR_INVALID = "Ce code n'est pas valide ou a déjà été utilisé."

    token = TotpCodeField(
        label="Code de vérification",
        help_text="Le code à 6 chiffres de votre application, ou l'un de vos codes de secours.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"]
        self.device = match_token(self.user, token)
        if self.device is None:
            raise forms.ValidationError(self.SECOND_FACTOR_INVALID)
        return token


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        # Unlike Django's form, also people who never chose a password: a new mandataire whose
        # 72-hour link expired gets a fresh one this way.
        return User.objects.filter(email__iexact=email, is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        # SITE_URL, never the request's Host header: a forged Host would send the token elsewhere.
        path = reverse("accounts:password_set", kwargs={"uidb64": context["uid"], "token": context["token"]})
        link = f"{settings.SITE_URL.rstrip('/')}{path}"
        send_templated_email(
            template="password_reset", to=to_email, context={"user": context["user"], "link": link}
        )
