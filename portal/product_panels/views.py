"""The review flow's panels of the vendor's product page, loaded by htmx once the page is shown (the
product page keeps its own query budget); without JavaScript, each is a page of its own."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.figures import MIN_PEER_COMPANIES, product_comparisons
from companies.current import member_required
from instruction.history import product_history
from portal.access import member_product

NOT_ENOUGH_PEERS = (
    "Pas encore assez d'entreprises pour afficher une moyenne : elle n'apparaît que lorsqu'au moins "
    "{minimum} autres entreprises que la vôtre ont un produit validé sur ce questionnaire, pour "
    "qu'aucune ne puisse être reconnue."
)


@member_required(per_object=True)
@require_GET
def history(request, public_id):
    product = member_product(request, public_id)
    context = {"entries": product_history(product=product)}
    return _panel(request, product, "portal/includes/product_history.html", "Historique", context)


@member_required(per_object=True)
@require_GET
def comparison(request, public_id):
    product = member_product(request, public_id)
    context = {
        "comparisons": product_comparisons(product=product),
        "not_enough_peers": NOT_ENOUGH_PEERS.format(minimum=MIN_PEER_COMPANIES),
    }
    return _panel(
        request, product, "portal/includes/section_comparison.html", "Moyennes de maturité", context
    )


def _panel(request, product, fragment: str, title: str, context: dict):
    if request.htmx:
        return render(request, fragment, context)
    page = {**context, "product": product, "fragment": fragment, "title": title}
    return render(request, "portal/product_panel_detail.html", page)
