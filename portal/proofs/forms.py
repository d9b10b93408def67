from django import forms

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "fr-input"}, format="%Y-%m-%d")
TEXT_MAX = 5000


class EffectiveDateForm(forms.Form):
    effective_date = forms.DateField(
        label="Date d'effet",
        help_text="Date à laquelle la preuve a été établie (enregistrement, essai, rapport), distincte de la date de dépôt.",
        widget=DATE_WIDGET,
        error_messages={"required": "Indiquez la date d'effet.", "invalid": "Date d'effet invalide."},
    )
    replaces = forms.UUIDField(required=False, widget=forms.HiddenInput)


class LinkProofForm(EffectiveDateForm):
    url = forms.CharField(
        label="Lien permanent (https://…)",
        max_length=2000,
        widget=forms.URLInput(attrs={"class": "fr-input"}),
    )


class DescriptionProofForm(EffectiveDateForm):
    text = forms.CharField(
        label="Description",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"class": "fr-input", "rows": 5}),
    )
