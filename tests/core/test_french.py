"""French élision of "de" before a vowel or a mute h, and where the pages use it."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from companies.models import Role
from core.french import de
from tests.assessments.factories import AssessmentFactory
from tests.products.factories import ProductFactory


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Agenda Santé", "d'Agenda Santé"),
        ("Éditeur Plus", "d'Éditeur Plus"),
        ("Hôpital Net", "d'Hôpital Net"),  # mute h
        ("Hongrie Soins", "de Hongrie Soins"),  # aspirated h
        ("Convergence", "de Convergence"),
        ("Yéti", "de Yéti"),
        ("alice@example.fr", "d'alice@example.fr"),
        ("3D Médical", "de 3D Médical"),
        ("  Ultra  ", "d'Ultra"),
        ("", "de "),
    ],
)
def test_de_elides_before_a_vowel_or_a_mute_h(name, expected):
    assert de(name) == expected


def test_the_template_filter_elides_and_escapes():
    template = Template("{% load french %}Nouvelle version {{ name|de }}")
    assert template.render(Context({"name": "Agenda <b>"})) == "Nouvelle version d'Agenda &lt;b&gt;"
    assert template.render(Context({"name": "Dossier"})) == "Nouvelle version de Dossier"


@pytest.mark.django_db
def test_new_version_page_title_elides(vendor_client_factory):
    client = vendor_client_factory(role=Role.MANDATAIRE)
    product = ProductFactory(company=client.company, name="Agenda Santé")
    page = client.get(reverse("portal:products:version_create", args=[product.public_id])).content.decode()
    assert "<title>Nouvelle version d'Agenda Santé Linux Site Web" in page
    assert "version de Agenda" not in page


def test_ago_says_less_than_a_minute_rather_than_zero_minute():
    template = Template("{% load french %}{{ moment|ago }}")
    assert template.render(Context({"moment": timezone.now()})) == "il y a moins d&#x27;une minute"
    hours_ago = timezone.now() - timedelta(hours=3, seconds=5)
    assert template.render(Context({"moment": hours_ago})) == "il y a 3\xa0heures"


@pytest.mark.django_db
def test_the_review_queue_never_says_zero_minute(reviewer_client):
    AssessmentFactory(submitted=True)
    page = reviewer_client.get(reverse("review:dashboard:index")).content.decode()
    assert "il y a moins d&#x27;une minute" in page
    assert "0\xa0minute" not in page and "0 minute" not in page
