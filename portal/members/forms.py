from django import forms
from django.contrib.auth import password_validation

from accounts.models import User
from companies.models import Role
from companies.roles import assignable_roles


def _role_choices(actor_role: str) -> list[tuple[str, str]]:
    return [(role, Role(role).label) for role in assignable_roles(actor_role)]


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail professionnelle", max_length=254)
    role = forms.ChoiceField(
        label="Rôle",
        widget=forms.RadioSelect,
        help_text="Mandataire et représentant gèrent les membres ; un salarié remplit les questionnaires sans gérer personne.",
    )

    def __init__(self, *args, actor_role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(actor_role)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Nouveau rôle")

    def __init__(self, *args, actor_role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(actor_role)


class InvitationAcceptForm(forms.Form):
    """A new person joining through an invitation: their name and a password (Django's rules)."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères ; ni trop courant, ni proche de votre adresse e-mail ou de votre nom.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label="J'ai lu et j'accepte les conditions générales d'utilisation",
        error_messages={
            "required": "Vous devez accepter les conditions générales d'utilisation pour continuer."
        },
    )

    PASSWORDS_DIFFER = "Les deux mots de passe ne correspondent pas."

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", self.PASSWORDS_DIFFER)
        elif password1:
            person = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
