import logging
import re

from django import forms
from pypdf import PdfReader

from companies.identifiers import siren_from
from companies.selectors import account_request_conflict

MAX_DOCUMENT_SIZE = 5 * 1024 * 1024
DOCUMENT_TOO_BIG = (
    "Le justificatif dépasse 5 Mo : réduisez sa taille (par exemple en l'enregistrant à nouveau en PDF)."
)
DOCUMENT_NOT_PDF = "Le justificatif doit être un fichier PDF (son contenu n'est pas celui d'un PDF)."
DOCUMENT_EMPTY = "Le fichier déposé est vide."
DOCUMENT_REATTACH = (
    "Par sécurité, le fichier n'est pas conservé quand le formulaire contient une erreur : "
    "joignez à nouveau votre justificatif."
)
DOCUMENT_ENCRYPTED = (
    "Le justificatif est protégé par un mot de passe : déposez une version sans protection, "
    "que l'agence pourra ouvrir."
)
# Robots fill every field; people never see this one (hidden by CSS, from screen readers and from the
# keyboard). Its name avoids what browsers autofill.
HONEYPOT_FIELD = "precisions_complementaires"
HONEYPOT_CLASS = "conv-honeypot"
PHONE_INVALID = "Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89 ou +33 1 23 45 67 89."


logger = logging.getLogger(__name__)


def pdf_document_errors(document) -> str | None:
    """Why the upload is refused, or None: size first, then the content must be a readable PDF.

    The name and the announced type prove nothing: the file must start with the PDF header and pypdf
    must read its page tree.
    """
    if document.size == 0:
        return DOCUMENT_EMPTY
    if document.size > MAX_DOCUMENT_SIZE:
        return DOCUMENT_TOO_BIG
    document.seek(0)
    header = document.read(5)
    document.seek(0)
    if header != b"%PDF-":
        return DOCUMENT_NOT_PDF
    try:
        reader = PdfReader(document)
        if reader.is_encrypted and not reader.decrypt(""):
            return DOCUMENT_ENCRYPTED
        readable = len(reader.pages) > 0
    except Exception:  # whatever pypdf trips on, the file is not a PDF it can read
        logger.info("Justificatif refusé : PDF illisible.", exc_info=True)
        readable = False
    finally:
        document.seek(0)
    return None if readable else DOCUMENT_NOT_PDF


class AccountRequestForm(forms.Form):
    identifier = forms.CharField(
        label="SIREN ou SIRET de l'entreprise",
        help_text="9 chiffres (SIREN) ou 14 chiffres (SIRET, dont les 9 premiers forment le SIREN).",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    company_name = forms.CharField(label="Raison sociale", max_length=255)
    address = forms.CharField(label="Adresse du siège", widget=forms.Textarea(attrs={"rows": 3}))
    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label="Adresse e-mail professionnelle",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Téléphone", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
    )
    position = forms.CharField(label="Fonction dans l'entreprise", max_length=150)
    certified = forms.BooleanField(
        label="Je certifie être habilité(e) à représenter l'entreprise (représentant légal ou personne dûment mandatée).",
        error_messages={"required": "Vous devez certifier être habilité(e) à représenter l'entreprise."},
    )
    document = forms.FileField(
        label="Justificatif d'habilitation",
        help_text="Extrait Kbis de moins de 3 mois ou mandat signé du représentant légal. Format PDF, 5 Mo maximum.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_identifier(self):
        value = self.cleaned_data["identifier"]
        try:
            self.cleaned_data["siren"] = siren_from(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        digits = "".join(ch for ch in value if ch in "0123456789")
        self.cleaned_data["siret"] = digits if len(digits) == 14 else ""
        return value

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not re.fullmatch(r"\+?[0-9 .()-]{6,30}", phone) or sum(c.isdigit() for c in phone) < 9:
            raise forms.ValidationError(PHONE_INVALID)
        return phone

    def clean_document(self):
        document = self.cleaned_data["document"]
        if error := pdf_document_errors(document):
            raise forms.ValidationError(error)
        return document

    def clean(self):
        cleaned = super().clean()
        if (siren := cleaned.get("siren")) and (conflict := account_request_conflict(siren=siren)):
            raise forms.ValidationError(conflict)
        return cleaned

    def caught_in_honeypot(self) -> bool:
        """The hidden field is filled: a robot. The request is then silently not recorded."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def ask_to_reattach_document(self) -> None:
        """After any error, the browser has dropped the file: say so on the file field."""
        if self.files.get("document") and "document" not in self.errors:
            self.add_error("document", DOCUMENT_REATTACH)
