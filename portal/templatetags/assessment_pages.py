"""The assessment pages' parts that the Jinja2 section page shares with the Django pages.
Usage: ``{% load assessment_pages %}{% assessment_header assessment product here %}``."""

from django import template
from markupsafe import Markup

from portal.assessments import presenters

register = template.Library()


@register.simple_tag
def assessment_header(assessment, product, here) -> Markup:
    return presenters.assessment_header_html(presenters.assessment_header(assessment, product, here))
