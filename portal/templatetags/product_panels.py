"""Panels of the vendor's product page fed by the review flow: the product's history (submissions,
decisions, the reviewer's comments, documents) and its maturity per section next to the anonymous
average. Usage: ``{% load product_panels %}{% product_history_panel product %}``."""

from django import template

from assessments.figures import MIN_CONTRIBUTORS, product_comparisons
from assessments.history import product_history

register = template.Library()


@register.inclusion_tag("portal/includes/product_history.html")
def product_history_panel(product):
    return {"entries": product_history(product=product)}


@register.inclusion_tag("portal/includes/section_comparison.html")
def section_comparison_panel(product):
    return {"comparisons": product_comparisons(product=product), "minimum": MIN_CONTRIBUTORS}
