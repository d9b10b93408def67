"""Form widgets shared by the back office and the public pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class LongSelect(forms.Select):
    """A select for long lists (every company): Django renders one template per option, about a
    tenth of a millisecond each, so hundreds of options are joined here instead (same markup)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = str(value or "")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) == selected else "", label) for key, label in self.choices),
        )
        return format_html(
            "<select{}>{}</select>", flatatt(self.build_attrs(self.attrs, attrs) | {"name": name}), options
        )
