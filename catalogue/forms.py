from django import forms

from catalogue.models import Frequency
from catalogue.selectors import SORT_RECENT, SORTS, CatalogueFilters


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters (GET). A value that is not an option is ignored, alone: a
    stale link still lists something."""

    recherche = forms.CharField(
        label="Rechercher",
        help_text=(
            "Entreprise, SIREN, produit, version, référentiel ou ligne générique certifiée ; accents et "
            "majuscules indifférents."
        ),
        required=False,
        max_length=150,
    )
    profil = forms.ChoiceField(label="Profil DMP atteint", required=False)
    questionnaire = forms.ChoiceField(label="Référentiel", required=False)
    ligne = forms.ChoiceField(
        label="Ligne générique certifiée",
        help_text="Dispositifs médicaux numériques de télésurveillance : les certificats couvrant cette ligne.",
        required=False,
    )
    # Set by the company links of the list (thousands of companies make no usable select).
    entreprise = forms.UUIDField(required=False, widget=forms.HiddenInput)
    tri = forms.ChoiceField(
        label="Trier par", required=False, choices=[(code, label) for code, (label, _) in SORTS.items()]
    )

    def __init__(self, data=None, *, choices: dict):
        super().__init__(data)
        for name, key in (("profil", "profile"), ("questionnaire", "questionnaire"), ("ligne", "line")):
            self.fields[name].choices = [("", "Tous")] + list(choices[key])

    def filters(self) -> CatalogueFilters:
        # Unbound (no parameter): every default. Bound: the valid fields only.
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return CatalogueFilters(
            search=data.get("recherche", ""),
            profile=data.get("profil", ""),
            questionnaire=data.get("questionnaire", ""),
            company=str(data.get("entreprise") or ""),
            line=data.get("ligne", ""),
            sort=data.get("tri") or SORT_RECENT,
        )


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Nous vous enverrons un lien pour confirmer l'abonnement ; rien n'est enregistré avant.",
        max_length=254,
    )
    frequence = forms.ChoiceField(
        label="Être prévenu",
        choices=Frequency.choices,
        initial=Frequency.EACH,
        widget=forms.RadioSelect,
    )
