from django import forms

from core.widgets import LongSelect
from instruction.selectors import QUEUES, QueueFilters


class QueueFilterForm(forms.Form):
    """The dashboard's filters (GET). Unknown values are ignored rather than refused: a stale
    bookmark still shows a list."""

    file = forms.ChoiceField(
        label="File", choices=list(QUEUES.items()), required=False, widget=forms.HiddenInput
    )
    recherche = forms.CharField(
        label="Rechercher",
        help_text="Nom ou SIREN de l'entreprise, nom du produit.",
        required=False,
        max_length=150,
    )
    questionnaire = forms.ChoiceField(label="Questionnaire", required=False)
    statut = forms.ChoiceField(label="État", required=False)
    entreprise = forms.ChoiceField(label="Entreprise", required=False, widget=LongSelect)
    profil = forms.ChoiceField(label="Profil atteint", required=False)

    def __init__(self, data=None, *, choices: dict, default_queue: str):
        super().__init__(data)
        self.default_queue = default_queue
        for name, key in (
            ("questionnaire", "questionnaire"),
            ("statut", "status"),
            ("entreprise", "company"),
            ("profil", "profile"),
        ):
            self.fields[name].choices = [("", "Tous")] + list(choices[key])

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            queue=data.get("file") or self.default_queue,
            questionnaire=data.get("questionnaire", ""),
            status=data.get("statut", ""),
            company=data.get("entreprise", ""),
            profile=data.get("profil", ""),
            search=data.get("recherche", ""),
        )
