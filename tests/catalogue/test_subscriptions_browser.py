"""A visitor subscribes from the product page, confirms from the mail, then unsubscribes from the
mail's link: every page valid HTML (the Nu checker of the ``page`` fixture) and accessible (axe)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from catalogue.models import Subscription
from catalogue.services import cancel_path
from tests.catalogue.factories import attest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_confirm_and_unsubscribe_in_the_browser(page, axe_check, settings):
    settings.SITE_URL = ""
    product = attest().assessment.product_version.product
    page.goto(reverse("catalogue:product", kwargs={"public_id": product.public_id}))
    page.get_by_label("Adresse électronique").fill("lecteur@hopital.example")
    page.get_by_text("Un résumé par semaine").click()  # DSFR radios: the label takes the click
    axe_check(page)
    page.get_by_role("button", name="M'abonner").click()
    expect(page.get_by_text("Demande enregistrée.")).to_be_visible()
    confirm = re.search(r"/catalogue/abonnement/confirmer/[^/\s]+/", mail.outbox[0].body)[0]
    page.goto(confirm)
    axe_check(page)
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.get_by_text("Abonnement confirmé")).to_be_visible()
    subscription = Subscription.objects.get()
    assert subscription.frequency == "hebdomadaire"
    page.goto(cancel_path(subscription))
    axe_check(page)
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_text("Désabonnement effectué")).to_be_visible()
    assert not Subscription.objects.exists()
