import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_accessible(page, axe_check):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Évaluer la maturité de vos logiciels de santé"
    assert page.title().startswith("Accueil")
    axe_check(page)


def test_login_page_is_accessible(page, axe_check):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("personne@example.fr")
    axe_check(page)
