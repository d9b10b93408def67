from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from accounts import login_throttle, services, terms_gate
from accounts.access import second_factor_due, signed_in
from accounts.forms import (
    LoginForm,
    PasswordResetRequestForm,
    SecondFactorSetupForm,
    SecondFactorVerifyForm,
    TermsAcceptForm,
)
from accounts.second_factor import (
    PENDING_SESSION_KEY,
    confirmed_totp,
    is_verified,
    qr_code_svg,
    recovery_codes_left,
    unconfirmed_totp,
)
from accounts.selectors import current_terms, terms_pending_for
from core.access import Access, second_factor_page, terms_page
from core.client_ip import client_ip_address

TERMS_ACCEPTED = "Merci, les conditions générales d'utilisation sont acceptées."
SECOND_FACTOR_ENABLED = "La double authentification est activée."
SECOND_FACTOR_DISABLED = "La double authentification est désactivée."
SECOND_FACTOR_VERIFY_FIRST = "Confirmez d'abord votre identité avec votre code actuel."
PASSWORD_SET = "Votre mot de passe est enregistré."


def _next_url(request, default: str = "") -> str:
    """The safe ``next`` of the request, else ``default`` (the person's home when it is None)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return _home_for(request.user) if default is None else default


def _with_next(name: str, next_url: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _home_for(user) -> str:
    if user.is_reviewer:
        return reverse("review:dashboard:index")
    if user.memberships.filter(is_active=True).exists():
        return reverse("portal:home")
    return reverse("home")


class LoginView(auth_views.LoginView):
    access = Access.PUBLIC
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The login itself marks the session as owing the second factor (see
        # accounts.second_factor.mark_pending_on_login).
        login_throttle.login_address_remember(user=form.get_user(), address=client_ip_address(self.request))
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="throttled"):
            response.status_code = 429
        return response

    def get_success_url(self):
        return _with_next("accounts:start", self.get_redirect_url())


class LogoutView(auth_views.LogoutView):
    access = Access.OPEN


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the page shown while an e-mail + IP pair is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)


@second_factor_page
def start(request):
    """Where a login lands: the steps of the access chain still due (second factor, then terms of
    use), then the page asked for or the person's own space."""
    target = _next_url(request, None)
    if second_factor_due(request):
        name = (
            "accounts:second_factor_verify"
            if confirmed_totp(request.user)
            else "accounts:second_factor_setup"
        )
        return redirect(_with_next(name, target))
    if terms_gate.terms_pending(request):
        return redirect(_with_next("accounts:terms", target))
    return redirect(target)


@signed_in
@require_GET
def session_resumed(request):
    """The end of a sign-in opened in a new tab by a page that must not be left (the questionnaire,
    whose session expired): say the tab can be closed; its script tells the other tabs. The access
    chain has sent the person through the second factor and the terms first."""
    return render(request, "accounts/session_resumed.html")


@terms_page
@require_http_methods(["GET", "POST"])
def terms_accept(request):
    terms = current_terms()
    if terms is None or not terms_pending_for(request.user):
        return redirect(_next_url(request, None))
    form = TermsAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.terms_accept(user=request.user, terms=terms)
        terms_gate.remember_acceptance(request, terms.version)
        messages.success(request, TERMS_ACCEPTED)
        return redirect(_next_url(request, None))
    context = {"terms": terms, "form": form, "next": _next_url(request, "")}
    return render(request, "accounts/terms_accept.html", context)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The single-use link of an approval or reset e-mail: choose a password, then log in."""

    access = Access.PUBLIC
    template_name = "accounts/password_set.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("accounts:start")

    def form_valid(self, form):
        messages.success(self.request, PASSWORD_SET)
        # The login it makes marks the session as owing the second factor when the person has one
        # (an e-mail link proves the mailbox, not the second factor).
        response = super().form_valid(form)
        # The e-mailed link proves the mailbox: this address gets through the per-account throttle.
        login_throttle.login_address_remember(user=form.user, address=client_ip_address(self.request))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    access = Access.PUBLIC
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    access = Access.PUBLIC
    template_name = "accounts/password_reset_done.html"


@second_factor_page
def second_factor(request):
    context = {
        "device": confirmed_totp(request.user),
        "codes_left": recovery_codes_left(request.user),
        "verified": is_verified(request),
    }
    return render(request, "accounts/second_factor.html", context)


@second_factor_page
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    # Replacing an existing second factor needs it first: otherwise a stolen password would do.
    if confirmed_totp(request.user) and not is_verified(request):
        messages.warning(request, SECOND_FACTOR_VERIFY_FIRST)
        return redirect(_with_next("accounts:second_factor_verify", request.get_full_path()))
    device = unconfirmed_totp(request.user)
    form = SecondFactorSetupForm(request.POST or None)
    if request.method == "POST" and device and form.is_valid():
        try:
            codes = services.totp_device_confirm(device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            request.session.pop(PENDING_SESSION_KEY, None)
            messages.success(request, SECOND_FACTOR_ENABLED)
            context = {"codes": codes, "next": _next_url(request, None)}
            return render(request, "accounts/second_factor_codes.html", context)
    context = {"device": device, "form": form, "next": _next_url(request, "")}
    if device:
        context |= {"qr_svg": qr_code_svg(device.config_url), "secret": _base32(device)}
    return render(request, "accounts/second_factor_setup.html", context)


def _base32(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@second_factor_page
@require_POST
def second_factor_start(request):
    if confirmed_totp(request.user) and not is_verified(request):
        return redirect(_with_next("accounts:second_factor_verify", reverse("accounts:second_factor_setup")))
    services.totp_device_start(user=request.user)
    return redirect(_with_next("accounts:second_factor_setup", _next_url(request, "")))


@second_factor_page
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    if not confirmed_totp(request.user):
        return redirect(_with_next("accounts:second_factor_setup", _next_url(request, "")))
    form = SecondFactorVerifyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        request.session.pop(PENDING_SESSION_KEY, None)
        return redirect(_with_next("accounts:start", _next_url(request, "")))
    return render(
        request, "accounts/second_factor_verify.html", {"form": form, "next": _next_url(request, "")}
    )


@second_factor_page
@require_POST
def second_factor_recovery_codes(request):
    if not is_verified(request):
        return redirect(_with_next("accounts:second_factor_verify", reverse("accounts:second_factor")))
    codes = services.recovery_codes_regenerate(user=request.user)
    return render(
        request,
        "accounts/second_factor_codes.html",
        {"codes": codes, "next": reverse("accounts:second_factor")},
    )


@second_factor_page
@require_POST
def second_factor_disable(request):
    if not is_verified(request):
        return redirect(_with_next("accounts:second_factor_verify", reverse("accounts:second_factor")))
    try:
        services.second_factor_disable(user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, SECOND_FACTOR_DISABLED)
    return redirect("accounts:second_factor")
