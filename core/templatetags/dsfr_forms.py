"""Filters behind the ``dsfr_crispy`` template pack: the one way forms of the project render."""

from django import forms, template

register = template.Library()

_KIND_BY_WIDGET = (
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.FileInput, "file"),
    (forms.HiddenInput, "hidden"),
)
_CSS_BY_KIND = {"select": "fr-select", "file": "fr-upload", "textarea": "fr-input", "input": "fr-input"}


@register.filter
def widget_kind(field) -> str:
    """One of checkboxes, radios, checkbox, select, textarea, file, hidden, input."""
    widget = field.field.widget
    for widget_class, kind in _KIND_BY_WIDGET:
        if isinstance(widget, widget_class):
            return kind
    return "input"


@register.filter
def dsfr_widget(field):
    """The field's widget with the DSFR classes, error state and described-by set."""
    kind = widget_kind(field)
    css = _CSS_BY_KIND.get(kind, "")
    attrs = {}
    if css:
        existing = field.field.widget.attrs.get("class", "")
        error_css = f" {css}--error" if field.errors and kind != "file" else ""
        attrs["class"] = f"{existing} {css}{error_css}".strip()
    if field.errors or field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}-messages"
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
