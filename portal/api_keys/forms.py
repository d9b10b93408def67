from django import forms

from apikeys.models import Scope


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Nom de la clé",
        max_length=100,
        help_text="Par exemple « Intégration continue » ou « Outil qualité ».",
    )
    scope = forms.ChoiceField(
        label="Portée",
        choices=Scope.choices,
        initial=Scope.LECTURE,
        widget=forms.RadioSelect,
        help_text="« Lecture » consulte les produits et évaluations ; « Lecture et écriture » peut aussi créer "
        "des versions, commencer des évaluations, importer des réponses et soumettre.",
    )
