from django import forms

from certificates.services import REISSUE_REASON_REQUIRED
from instruction.services import COMMENT_MAX_LENGTH, Decision

COMMENT_REQUIRED = (
    "Expliquez votre décision : le commentaire est obligatoire pour demander des compléments ou refuser."
)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Commentaire",
        help_text="Visible par l'éditeur lorsque l'évaluation lui est renvoyée.",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    internal = forms.BooleanField(
        label="Note interne",
        help_text="Jamais visible par l'éditeur, même quand l'évaluation lui est renvoyée.",
        required=False,
    )
    item = forms.CharField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, item_code: str = "", parent_id: int | None = None):
        # One form per item can be open on the page: their ids must differ.
        item_code = (data.get("item", "") if data is not None else item_code) or ""
        # auto_id is a %-format: a "%" in a hand-made item code must stay a character.
        auto_id = f"id_%s_{item_code.replace('%', '%%')}" if item_code else "id_%s"
        super().__init__(data, initial={"item": item_code, "parent": parent_id}, auto_id=auto_id)
        if (data.get("parent") if data is not None else parent_id) not in (None, ""):
            # A reply belongs to its thread: internal when the thread is, else shown with it.
            del self.fields["internal"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire pour l'éditeur",
        help_text="Obligatoire pour demander des compléments ou refuser ; envoyé par e-mail à l'entreprise.",
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


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la nouvelle délivrance",
        help_text="Conservé dans le journal du document. Le document révoqué reste révoqué ; le nouveau a son propre code.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REISSUE_REASON_REQUIRED},
    )


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la révocation",
        help_text="Il sera affiché sur la page publique de vérification du document.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Indiquez le motif de la révocation."},
    )
