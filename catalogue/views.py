"""The public catalogue (no sign-in): the list of products holding a valid document, its CSV export,
and each product's page with the history of its documents."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalogue import selectors
from catalogue.forms import CatalogueFilterForm
from core.access import public

PAGE_SIZE = 25
CSV_HEADER = [
    "entreprise",
    "SIREN",
    "produit",
    "version",
    "référentiel",
    "version du référentiel",
    "profils DMP atteints",
    "délivré le",
    "code de vérification",
    "lien de vérification",
]
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
    return render(request, "catalogue/product_detail.html", {"product": product})
