"""The public catalogue (no sign-in): the list of products holding a valid document, its CSV export,
each product's page with the history of its documents, and the subscriptions to a product (request,
confirmation, unsubscription)."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue import selectors, services
from catalogue.forms import CatalogueFilterForm, SubscriptionForm
from core.access import public
from core.client_ip import client_ip_address
from core.throttle import throttle_hit

PAGE_SIZE = 25
CSV_HEADER = [
    "entreprise",
    "SIREN",
    "produit",
    "version",
    "référentiel",
    "version du référentiel",
    "profils DMP atteints",
    "lignes génériques certifiées",
    "délivré le",
    "code de vérification",
    "lien de vérification",
]
SUBSCRIPTION_SENT = (
    "Demande enregistrée. Si l'adresse indiquée est valide, elle va recevoir un message avec un lien "
    "pour confirmer l'abonnement : sans confirmation, rien n'est envoyé."
)
TOO_MANY_SUBSCRIPTIONS = (
    "Trop de demandes d'abonnement envoyées en peu de temps depuis votre connexion. Réessayez dans une heure."
)
SUBSCRIBE_LIMIT = 10
SUBSCRIBE_WINDOW_SECONDS = 3600
# A cell a spreadsheet would run as a formula is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _filters(request):
    form = CatalogueFilterForm(request.GET or None, choices=selectors.catalogue_filter_choices())
    return form, form.filters()


@public
@require_GET
def catalogue_list(request):
    form, filters = _filters(request)
    page = Paginator(selectors.catalogue_rows(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "entries": selectors.entries(page.object_list),
        "query": query.urlencode(),
        "company_filtered": bool(filters.company),
    }
    return render(request, "catalogue/catalogue_list.html", context)


@public
@require_GET
def catalogue_export(request):
    _form, filters = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="catalogue-convergence.csv"'
    response.write("\ufeff")  # so that spreadsheet software reads the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADER)
    # Every link differs by its code only: the URL is reversed once.
    verify_prefix = request.build_absolute_uri(reverse("certificates:verify", kwargs={"code": "-"}))[:-1]
    for entry in selectors.entries(selectors.catalogue_rows(filters).iterator(chunk_size=1000)):
        writer.writerow(
            _cell(value)
            for value in (
                entry.company_name,
                entry.company_siren,
                entry.product_name,
                entry.version_label,
                entry.referential_title,
                entry.referential_version,
                ", ".join(entry.profiles_reached),
                ", ".join(entry.line_labels),
                timezone.localtime(entry.issued_at).date().isoformat() if entry.issued_at else "",
                entry.display_code,
                verify_prefix + entry.display_code,
            )
        )
    return response


def _cell(value) -> str:
    text = str(value or "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@public
@require_GET
def product_detail(request, public_id):
    product = selectors.public_product(public_id=public_id)
    context = {"product": product, "form": SubscriptionForm()}
    return render(request, "catalogue/product_detail.html", context)


# --- Subscriptions ----------------------------------------------------------------------------------
@public
@require_POST
def subscription_create(request, public_id):
    """The same answer whether or not the address is already subscribed (no enumeration)."""
    product = selectors.subscribable_product(public_id=public_id)
    form = SubscriptionForm(request.POST)
    status = 200
    if throttle_hit(
        f"catalogue:subscribe:{client_ip_address(request)}",
        limit=SUBSCRIBE_LIMIT,
        window_seconds=SUBSCRIBE_WINDOW_SECONDS,
    ):
        form.add_error(None, TOO_MANY_SUBSCRIPTIONS)
        status = 429
    elif form.is_valid():
        services.subscription_request(
            email=form.cleaned_data["email"], product=product, frequency=form.cleaned_data["frequence"]
        )
        messages.success(request, SUBSCRIPTION_SENT)
        return redirect("catalogue:product", public_id=product.public_id)
    else:
        status = 400
    context = {"product": selectors.public_product(public_id=public_id), "form": form}
    return render(request, "catalogue/product_detail.html", context, status=status)


@public
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    """GET shows what the link asks for; only the button (POST) subscribes, so a mail scanner
    following links confirms nothing."""
    try:
        asked = services.confirmation_request(token=token)
        if request.method == "POST":
            services.subscription_confirm(token=token)
            return render(request, "catalogue/subscription_confirm.html", {"asked": asked, "done": True})
    except ValidationError as error:
        context = {"error": error.messages[0]}
        return render(request, "catalogue/subscription_confirm.html", context, status=400)
    return render(request, "catalogue/subscription_confirm.html", {"asked": asked, "done": False})


# Mail clients post the one-click unsubscription (RFC 8058) without any CSRF token: the signed token
# in the URL is the authority, and unsubscribing is all it can do.
@csrf_exempt
@public
@require_http_methods(["GET", "POST"])
def subscription_cancel(request, token):
    if request.method == "GET":
        return render(request, "catalogue/subscription_cancel.html", {"token": token, "done": False})
    try:
        services.subscription_cancel(token=token)
    except ValidationError as error:
        return render(request, "catalogue/subscription_cancel.html", {"error": error.messages[0]}, status=400)
    return render(request, "catalogue/subscription_cancel.html", {"done": True})
