from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from core.french import elides

register = template.Library()
JUST_NOW = "il y a moins d'une minute"


@register.filter
def de(value):
    """``{{ product.display_name|de }}`` → « d'Agenda Santé » or « de Convergence » (escaped)."""
    value = str(value).strip()
    return mark_safe(("d'" if elides(value) else "de ") + str(conditional_escape(value)))


@register.filter
def ago(value) -> str:
    """``{{ moment|ago }}`` → « il y a 3 heures », and « il y a moins d'une minute » rather than
    Django's « il y a 0 minute »."""
    if timezone.now() - value < timedelta(minutes=1):
        return JUST_NOW
    return f"il y a {timesince(value)}"
