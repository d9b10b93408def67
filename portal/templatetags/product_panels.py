"""Placeholders on the vendor's product page for the review flow's panels (history; maturity per
section against the anonymous average), filled by htmx from ``portal.product_panels`` after the page
is shown, so the product page runs no query for them. Without JavaScript, a link to each panel.
Usage: ``{% load product_panels %}{% product_history_panel product %}``."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("portal/includes/product_panel_loader.html")
def product_history_panel(product):
    url = reverse("portal:product_panels:history", kwargs={"public_id": product.public_id})
    return {
        "url": url,
        "label": "Voir l'historique du produit (soumissions, décisions, commentaires, documents)",
    }


@register.inclusion_tag("portal/includes/product_panel_loader.html")
def section_comparison_panel(product):
    url = reverse("portal:product_panels:comparison", kwargs={"public_id": product.public_id})
    return {"url": url, "label": "Voir la maturité par section comparée à la moyenne des produits"}
