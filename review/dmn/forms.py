from django import forms

from assessments.models import State
from dmn.selectors import REVIEWABLE_STATES
from dmn.services import Decision
from instruction.services import COMMENT_MAX_LENGTH

COMMENT_REQUIRED = (
    "Expliquez votre décision : le commentaire est obligatoire pour demander des compléments ou refuser."
)
DECISIONS = [
    (Decision.VALIDATE, "Valider la candidature"),
    (Decision.REQUEST_CHANGES, "Demander des compléments"),
    (Decision.REFUSE, "Refuser la candidature"),
]


class CandidatureFilterForm(forms.Form):
    """The DMN queue's filter (GET); an unknown value is ignored: a stale bookmark still shows a list."""

    statut = forms.ChoiceField(label="État", required=False)

    def __init__(self, data=None, *, counts: dict[str, int]):
        super().__init__(data)
        self.fields["statut"].choices = [("", "Tous")] + [
            (state, f"{State(state).label} ({counts.get(state, 0)})") for state in REVIEWABLE_STATES
        ]

    def state(self) -> str:
        return self.cleaned_data.get("statut", "") if self.is_valid() else ""


class CandidatureDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire pour l'entreprise",
        help_text=(
            "Obligatoire pour demander des compléments ou refuser. La décision s'applique à chaque "
            "questionnaire de la candidature en instruction."
        ),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        needs_comment = data.get("decision") in (Decision.REQUEST_CHANGES, Decision.REFUSE)
        if needs_comment and not (data.get("comment") or "").strip():
            self.add_error("comment", COMMENT_REQUIRED)
        return data
