from django import forms

from certificates.codes import normalise_code

CODE_MALFORMED = (
    "Ce code n'a pas le bon format : il comporte 16 caractères (lettres A à Z et chiffres 2 à 7), "
    "par exemple ABCD-EFGH-IJKL-MNOP."
)


class VerificationForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        help_text="Il figure en bas de chaque page du document, par exemple ABCD-EFGH-IJKL-MNOP.",
        max_length=64,
        error_messages={"required": "Saisissez le code de vérification du document."},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(CODE_MALFORMED)
        return code
