from django import forms


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        help_text="Il est envoyé tel quel au demandeur.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Indiquez le motif du refus : il est envoyé au demandeur."},
    )
