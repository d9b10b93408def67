import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_home_page_explains_the_service_in_french(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Convergence" in html
    assert "profils de compatibilité DMP" in html
    assert 'href="#contenu"' in html  # skip link
    assert "/static/dsfr/" in html  # DSFR served locally, never from a CDN
    assert "htmx" in html
    assert "cdn" not in html.lower()


def test_login_by_email_then_logout(client):
    User.objects.create_user("Marie.Curie@Example.fr", "un-mot-de-passe-solide")
    page = client.get(reverse("accounts:login"))
    assert 'class="fr-input' in page.content.decode()
    response = client.post(
        reverse("accounts:login"),
        {"username": "marie.curie@example.fr", "password": "un-mot-de-passe-solide"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].is_authenticated
    client.post(reverse("accounts:logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_login_error_is_in_french_and_keeps_the_email(client):
    response = client.post(reverse("accounts:login"), {"username": "x@example.fr", "password": "faux"})
    html = response.content.decode()
    assert "Adresse e-mail ou mot de passe incorrect." in html
    assert 'value="x@example.fr"' in html


class EveryWidgetForm(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'affiché")
    kind = forms.ChoiceField(label="Type", choices=[("a", "A"), ("b", "B")])
    device = forms.ChoiceField(
        label="Support", choices=[("m", "Mobile"), ("w", "Site Web")], widget=forms.RadioSelect
    )
    systems = forms.MultipleChoiceField(
        label="Systèmes",
        choices=[("ios", "iOS"), ("android", "Android")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="J'accepte")
    notes = forms.CharField(label="Notes", widget=forms.Textarea)
    proof = forms.FileField(label="Justificatif")


def render_crispy(form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def test_crispy_renders_every_widget_with_dsfr_markup():
    html = render_crispy(EveryWidgetForm())
    assert 'class="fr-input-group"' in html and 'class="fr-input"' in html
    assert 'class="fr-select-group"' in html and 'class="fr-select"' in html
    assert html.count('class="fr-radio-group"') == 2
    assert html.count('class="fr-checkbox-group"') == 3  # two choices and the single box
    assert "<textarea" in html
    assert 'class="fr-upload-group' in html and 'class="fr-upload"' in html
    assert '<span class="fr-hint-text">Tel qu\'affiché</span>' in html


def test_crispy_renders_errors_in_dsfr_markup():
    form = EveryWidgetForm(data={})
    html = render_crispy(form)
    assert "fr-input-group--error" in html
    assert "fr-fieldset--error" in html
    assert "fr-message--error" in html
    assert 'aria-invalid="true"' in html
    assert "Le formulaire contient des erreurs" in html
