from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.french import elides

register = template.Library()


@register.filter
def de(value):
    """``{{ product.display_name|de }}`` → « d'Agenda Santé » or « de Convergence » (escaped)."""
    value = str(value).strip()
    return mark_safe(("d'" if elides(value) else "de ") + str(conditional_escape(value)))
