from django import forms
from django.utils import timezone

from assessments.models import Assessment
from assessments.services import IMPORT_MAX_BYTES, IMPORT_TOO_LARGE

YES, NO = "oui", "non"
YES_NO_CHOICES = [(YES, "Oui"), (NO, "Non")]


class AssessmentStartForm(forms.Form):
    questionnaire_version = forms.ChoiceField(label="Questionnaire", widget=forms.RadioSelect)
    carry_from = forms.ChoiceField(
        label="Reprendre les réponses d'une évaluation précédente",
        required=False,
        help_text="Les exigences de même code reprennent leur réponse ; les nouvelles restent à remplir.",
    )

    def __init__(self, *args, questionnaire_versions, previous: list[Assessment], **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(version.public_id): version for version in questionnaire_versions}
        self.previous = {str(assessment.public_id): assessment for assessment in previous}
        self.fields["questionnaire_version"].choices = [
            (key, f"{version.questionnaire.title} — version {version.number}")
            for key, version in self.versions.items()
        ]
        self.fields["carry_from"].choices = [("", "Non, partir d'un questionnaire vide")] + [
            (key, _previous_label(assessment)) for key, assessment in self.previous.items()
        ]
        if not previous:
            del self.fields["carry_from"]

    def clean_questionnaire_version(self):
        return self.versions[self.cleaned_data["questionnaire_version"]]

    def clean_carry_from(self):
        return self.previous.get(self.cleaned_data.get("carry_from") or "")


def _previous_label(assessment: Assessment) -> str:
    questionnaire = assessment.questionnaire_version.questionnaire.title
    date = timezone.localtime(assessment.created_at).strftime("%d/%m/%Y")
    return (
        f"{questionnaire} v{assessment.questionnaire_version.number} — version {assessment.product_version.label} "
        f"du produit, {assessment.get_state_display().lower()}, commencée le {date}"
    )


class QualificationForm(forms.Form):
    """One required field per qualification question; ``answers()`` gives {code: bool | choice}."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {}
        for question in questions:
            choices = (
                YES_NO_CHOICES if question["kind"] != "choice" else [(c, c) for c in question["choices"]]
            )
            self.fields[question["code"]] = forms.ChoiceField(
                label=question["text"],
                help_text=question.get("help_text", ""),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Répondez à cette question."},
            )
            self.kinds[question["code"]] = question["kind"]

    @staticmethod
    def initial_from(qualification: dict) -> dict:
        return {
            code: (YES if value else NO) if isinstance(value, bool) else value
            for code, value in qualification.items()
        }

    def answers(self) -> dict:
        return {
            code: value == YES if self.kinds[code] != "choice" else value
            for code, value in self.cleaned_data.items()
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier JSON d'une évaluation",
        help_text="Un export de Convergence, ou un document au même format (voir la documentation du format d'échange).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(IMPORT_TOO_LARGE)
        return upload
