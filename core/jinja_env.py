"""The Jinja2 environment of the second template engine (``templates/jinja2/``, settings.TEMPLATES).

Jinja2 compiles a template to Python once: the questionnaire's item widgets, rendered 40 to 300 times
per page, cost several times less than through the Django engine (bench/questionnaire.py). Escaping is
on for every template, and an undefined variable raises (as ``--fail-on-template-vars`` does for the
Django templates in the tests) instead of rendering as nothing.
"""

import jinja2
from django.utils import timezone
from django.utils.html import normalize_newlines
from django.utils.text import capfirst
from markupsafe import Markup, escape


def linebreaksbr(value) -> Markup:
    """Django's ``linebreaksbr``: the text escaped, each line break a ``<br>``."""
    return Markup(escape(normalize_newlines(str(value))).replace("\n", Markup("<br>")))


def localtime(value):
    """Django templates show an aware datetime in the current time zone; Jinja2 does not: this does."""
    return timezone.localtime(value)


PROGRESS_BAR_TEMPLATE = "core/progress_bar.html"


@jinja2.pass_environment
def progress_bar(env: jinja2.Environment, done: int, total: int, label: str = "Progression") -> Markup:
    """The progress bar's markup (``{{ progress_bar(done, total, label) }}``; the Django templates use
    the maturity tag of the same name, which renders this same template)."""
    percent = round(100 * done / total) if total else 100
    template = env.get_template(PROGRESS_BAR_TEMPLATE)
    return Markup(template.render(done=done, total=total, percent=percent, label=label))


def environment(**options) -> jinja2.Environment:
    options.update(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env = jinja2.Environment(**options)
    env.filters.update(linebreaksbr=linebreaksbr, capfirst=capfirst, localtime=localtime)
    env.globals.update(progress_bar=progress_bar)
    return env
