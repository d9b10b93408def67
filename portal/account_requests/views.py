import logging

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from companies import services
from core.access import public
from core.client_ip import client_ip_address
from core.throttle import throttle_hit, throttle_reset
from portal.account_requests.forms import HONEYPOT_CLASS, HONEYPOT_FIELD, AccountRequestForm

TOO_MANY_REQUESTS = (
    "Trop de demandes envoyées depuis votre connexion en peu de temps. Réessayez dans une heure ; "
    "si le problème persiste, écrivez au support."
)
# Per client address: generous for a person correcting the form, slow for a robot.
REQUEST_LIMIT = 10
REQUEST_WINDOW_SECONDS = 3600

logger = logging.getLogger(__name__)


def _throttle_key(address: str) -> str:
    return f"account-requests:{address}"


def account_request_throttle_reset(*, address: str) -> None:
    throttle_reset(_throttle_key(address))


@public
@require_http_methods(["GET", "POST"])
def account_request_create(request):
    # Counted before the body is parsed: a throttled robot costs no upload handling.
    # The client address as the login lockout (django-axes) resolves it, proxies included.
    address = client_ip_address(request) or ""
    if request.method == "POST" and throttle_hit(
        _throttle_key(address), limit=REQUEST_LIMIT, window_seconds=REQUEST_WINDOW_SECONDS
    ):
        return render(
            request, "portal/account_request_limited.html", {"message": TOO_MANY_REQUESTS}, status=429
        )
    form = AccountRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            if form.caught_in_honeypot():
                # What a person would see, so the robot learns nothing; no request, no e-mail.
                logger.warning("Demande de compte ignorée : champ piège rempli (adresse %s).", address)
                request.session["account_request_email"] = form.cleaned_data["email"]
                return redirect("account_requests:sent")
            try:
                services.account_request_create(
                    data=form.cleaned_data, document=form.cleaned_data["document"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session["account_request_email"] = form.cleaned_data["email"]
                return redirect("account_requests:sent")
        form.ask_to_reattach_document()
    context = {"form": form, "honeypot_field": HONEYPOT_FIELD, "honeypot_class": HONEYPOT_CLASS}
    return render(request, "portal/account_request_create.html", context)


@public
def account_request_sent(request):
    return render(
        request,
        "portal/account_request_sent.html",
        {"email": request.session.get("account_request_email", "")},
    )
