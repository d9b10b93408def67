"""Through Chromium, the whole loop between a vendor and the agency: a reviewer logs in with TOTP,
takes a submitted assessment and requests changes on one item; the vendor sees the comment, fixes the
item and resubmits; the reviewer validates; the attestation is rendered by the real Celery worker,
downloaded, and verified on the public page."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from certificates.models import Certificate
from products.models import Product
from tests.accounts.factories import TEST_PASSWORD, TermsVersionFactory
from tests.accounts.helpers import (
    accept_current_terms,
    make_reviewer,
    session_cookie,
    totp_code,
    verified_login,
)
from tests.assessments.factories import AssessmentFactory, questionnaire_version
from tests.companies.factories import MembershipFactory
from tests.products.factories import ProductVersionFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

COMMENT = "Précisez quelle version du volet de partage de documents est mise en œuvre."


def submitted_assessment(mandataire) -> Assessment:
    """A vendor's assessment filled and submitted by its mandataire through the services."""
    product_version = ProductVersionFactory(
        product__company=mandataire.company,
        product__name="Agenda Santé",
        product__os=Product.OS.ANDROID,
        product__device=Product.Device.MOBILE,
    )
    return AssessmentFactory(
        submitted=True,
        product_version=product_version,
        actor=mandataire.user,
        level="vert",
        levels={"A08.4.1": "jaune"},
    )


def vendor_page(chromium, live_server, user):
    from django.test import Client

    accept_current_terms(user)
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    context.add_cookies([{**session_cookie(verified_login(Client(), user)), "url": live_server.url}])
    return context.new_page()


def test_review_loop_from_submission_to_verified_attestation(
    page, chromium, live_server, celery_worker, axe_check
):
    TermsVersionFactory(version=1)
    mandataire = MembershipFactory(mandataire=True)
    assessment = submitted_assessment(mandataire)
    reviewer, device = make_reviewer(first_name="Inès", last_name="Instructrice")
    detail = reverse("review:assessments:detail", kwargs={"public_id": assessment.public_id})

    # The reviewer logs in with password and TOTP and lands on the dashboard.
    page.goto("/instruction/")
    page.get_by_label("Adresse e-mail").fill(reviewer.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/double-authentification/verifier/**")
    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url("**/instruction/")
    axe_check(page)

    # Takes the assessment, comments on one item, requests changes.
    page.get_by_role("link", name="Agenda Santé Android Mobile").click()
    page.get_by_role("button", name="Prendre en charge l'instruction").click()
    assert "Vous instruisez maintenant cette évaluation." in page.content()
    axe_check(page)
    item_id = assessment.answers.get(item__code="A08.4.1").item_id
    page.get_by_role("link", name="Commenter l'exigence A08.4.1").click()
    page.locator(f"#commenter-{item_id}").get_by_label("Commentaire").fill(COMMENT)
    page.locator(f"#commenter-{item_id}").get_by_role("button", name="Enregistrer le commentaire").click()
    page.locator(f"#fil-{item_id}").get_by_text(COMMENT).wait_for()
    page.get_by_text("Demander des compléments", exact=True).click()
    page.get_by_label("Commentaire pour l'éditeur").fill("Une exigence est à préciser.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("renvoyée à l'éditeur pour compléments").wait_for()

    # The vendor sees the comment on the item, fixes it and resubmits.
    vendor = vendor_page(chromium, live_server, mandataire.user)
    vendor.goto(reverse("portal:assessments:section", kwargs={"public_id": assessment.public_id, "index": 0}))
    # The remark is in the item's thread, right after the item's form (the thread has its reply forms).
    vendor.locator("#item-A08-4-1-fil").get_by_text(COMMENT).wait_for()
    item = vendor.locator("form.cv-item", has_text="A08.4.1")
    item.locator("label[for$='-vert']").click()
    item.get_by_text("Enregistré").wait_for()
    vendor.goto(reverse("portal:assessments:detail", kwargs={"public_id": assessment.public_id}))
    vendor.get_by_role("button", name="Soumettre l'évaluation").click()
    vendor.get_by_text("Soumise").first.wait_for()
    assert Assessment.objects.get(pk=assessment.pk).state == Assessment.State.SUBMITTED

    # The reviewer sees what changed, takes it again and validates.
    page.goto(detail)
    assert "Niveau : jaune → vert" in page.content()
    page.get_by_role("button", name="Prendre en charge l'instruction").click()
    page.get_by_text("Valider", exact=True).click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("L'évaluation est validée").wait_for()

    # The vendor's product page tells the story, comment and decisions included.
    vendor.goto(
        reverse("portal:products:detail", kwargs={"public_id": assessment.product_version.product.public_id})
    )
    vendor.get_by_text("Décision de l'agence : validée").wait_for()
    assert COMMENT in vendor.content()

    # The worker renders the attestation: the vendor downloads it, anyone verifies it.
    certificate = Certificate.objects.get(assessment=assessment, kind=Certificate.Kind.ATTESTATION)
    vendor.goto(reverse("certificates:status", kwargs={"public_id": certificate.public_id}))
    download_link = vendor.get_by_role("link", name="Télécharger le document")
    download_link.wait_for(timeout=60_000)
    with vendor.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    certificate.refresh_from_db()
    public = chromium.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    public.goto(reverse("certificates:verify", kwargs={"code": certificate.display_code}))
    assert "Document valide" in public.content()
    assert "Agenda Santé Android Mobile" in public.content()


def test_back_office_pages_are_accessible(page, browser_login, axe_check):
    TermsVersionFactory(version=1)
    reviewer, device = make_reviewer()
    version = questionnaire_version()
    AssessmentFactory.create_batch(2, validated=True, questionnaire_version=version)  # reach Alimentation
    mine = AssessmentFactory(
        in_review=True, reviewer=reviewer, questionnaire_version=version, levels={"A08.5.01": "na"}
    )
    browser_login(reviewer, device)

    for url in (
        reverse("review:assessments:list") + "?recherche=Dossier",
        reverse("review:assessments:detail", kwargs={"public_id": mine.public_id}),
        reverse("review:assessments:trail", kwargs={"public_id": mine.public_id}),
        reverse("review:statistics:index"),
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        axe_check(page)
