"""Vendor forms of the DMN candidature: the capacity declared for a device, the candidature itself,
and a new candidature for another version of the device. They validate the shape of the answers; the
rules (operator only, lines, grouping) are the services'."""

from django import forms
from django.utils.html import format_html

from dmn.models import Capacity, Grouping, Line

CAPACITY_LABEL = "Pour ce dispositif, votre entreprise est"
CAPACITY_HELP = (
    "Seul l'exploitant du dispositif (l'entreprise qui le met à disposition des patients et des "
    "professionnels et en assure le fonctionnement) peut déposer une candidature DMN."
)
OUTSIDE_LABEL = "Mon dispositif ne relève d'aucune de ces lignes"
LINES_AND_OUTSIDE = (
    "Cochez les lignes génériques de votre dispositif, ou « aucune de ces lignes », mais pas les deux."
)
# What each grouping means for the vendor, written next to the choice.
GROUPING_CONSEQUENCES = {
    Grouping.TOGETHER: (
        "Un seul certificat de conformité couvre toutes les lignes choisies. Si un module du dispositif "
        "change, la candidature entière est déposée à nouveau, pour toutes ses lignes."
    ),
    Grouping.PER_LINE: (
        "Chaque ligne a sa candidature et son certificat. Si un module ne concerne qu'une ligne, seule "
        "la candidature de cette ligne est déposée à nouveau ; les autres gardent leur certificat. Le "
        "référentiel d'interopérabilité et de sécurité reste commun à toutes les lignes de la version."
    ),
}


def _with_hint(label: str, hint: str) -> str:
    return format_html('{}<span class="fr-hint-text">{}</span>', label, hint)


class CapacityForm(forms.Form):
    capacity = forms.ChoiceField(
        label=CAPACITY_LABEL, choices=Capacity.choices, widget=forms.RadioSelect, help_text=CAPACITY_HELP
    )


class CandidatureForm(forms.Form):
    capacity = forms.ChoiceField(
        label=CAPACITY_LABEL, choices=Capacity.choices, widget=forms.RadioSelect, help_text=CAPACITY_HELP
    )
    lines = forms.MultipleChoiceField(
        label="Lignes génériques couvertes par le dispositif",
        help_text="De une à cinq lignes : chacune a son questionnaire de spécifications techniques.",
        choices=Line.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    outside = forms.BooleanField(
        label=OUTSIDE_LABEL,
        help_text="Le parcours « ligne générique » ne s'applique alors pas : la page vous dit quoi faire.",
        required=False,
    )
    grouping = forms.ChoiceField(
        label="Une ou plusieurs candidatures",
        choices=[
            (value, _with_hint(label, GROUPING_CONSEQUENCES[value])) for value, label in Grouping.choices
        ],
        widget=forms.RadioSelect,
        initial=Grouping.TOGETHER,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("outside") and data.get("lines"):
            self.add_error("outside", LINES_AND_OUTSIDE)
        return data


class RenewForm(forms.Form):
    product_version = forms.ChoiceField(
        label="Nouvelle version du dispositif",
        help_text="Les réponses et les preuves de la candidature sont reprises, à vérifier avant de soumettre.",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(version.public_id): version for version in versions}
        self.fields["product_version"].choices = [
            (key, f"Version {version.label}") for key, version in self.versions.items()
        ]

    def clean_product_version(self):
        return self.versions[self.cleaned_data["product_version"]]
