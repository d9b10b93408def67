"""The questionnaire page of a v2 referential: waves shown on items, sworn declarations answered with
their text, name and date (issue 14)."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer
from companies.models import Role
from tests.products.factories import ProductFactory, ProductVersionFactory
from tests.questionnaires.factories import import_real_definitions

pytestmark = pytest.mark.django_db
SEC = {
    "acces_patient": False,
    "telesurveillance": False,
    "identite_externe": False,
    "ins_applicable": False,
    "heberge_tiers": False,
    "etablissement_auto_hebergement": False,
}


@pytest.fixture
def setup(vendor_client_factory):
    client = vendor_client_factory(role=Role.MANDATAIRE)
    versions = import_real_definitions(2)
    product_version = ProductVersionFactory(product=ProductFactory(company=client.company))
    assessment = services.assessment_start(
        product_version=product_version, questionnaire_version=versions["securite"], actor=None
    )
    services.qualification_save(assessment=assessment, answers=SEC, actor=None)
    return client, assessment


def test_section_shows_the_declaration_fields_instead_of_levels(setup):
    client, assessment = setup
    content = client.get(
        reverse("portal:assessments:section", args=[assessment.public_id, 0])
    ).content.decode()
    assert 'id="item-SEC-1-5-declarant"' in content and 'id="item-SEC-1-5-declared-on"' in content
    assert 'id="item-SEC-1-5-vert"' not in content
    assert 'id="item-SEC-1-1-vert"' in content  # an ordinary item keeps its levels


def test_wave_is_shown_on_the_item(setup):
    client, assessment = setup
    content = client.get(
        reverse("portal:assessments:section", args=[assessment.public_id, 1])
    ).content.decode()
    assert "Vague 2\u00a0: Recommandée en vague 1, exigée à partir de la vague 2." in content


def apostrophes(html: str) -> str:
    """The apostrophe as typed: Django's templates escape it ``&#x27;``, Jinja2's ``&#39;``."""
    return html.replace("&#x27;", "'").replace("&#39;", "'")


def test_posting_a_declaration_stores_name_and_date(setup):
    client, assessment = setup
    url = reverse("portal:assessments:answer_save", args=[assessment.public_id, "SEC.1.5"])
    data = {
        "revision": "0",
        "level": "na",
        "justification": "Aucune identité traitée.",
        "declarant": "Claire Durand",
        "declarant_role": "Directrice technique",
    }
    response = client.post(url, data | {"declared_on": "2026-02-30"})
    assert "La date de la déclaration n'est pas une date valide" in apostrophes(response.content.decode())
    response = client.post(url, data | {"declared_on": "2026-03-02"})
    assert "Enregistré" in response.content.decode()
    answer = Answer.objects.get(assessment=assessment, item__code="SEC.1.5")
    assert (answer.level, answer.declarant, answer.declarant_role, str(answer.declared_on)) == (
        "na",
        "Claire Durand",
        "Directrice technique",
        "2026-03-02",
    )
    content = client.get(reverse("portal:assessments:full", args=[assessment.public_id])).content.decode()
    assert (
        "Déclaration sur l'honneur</strong> de Claire Durand, Directrice technique, le 02/03/2026" in content
    )


def test_status_line_names_what_the_declaration_still_lacks_until_it_is_complete(setup):
    client, assessment = setup
    url = reverse("portal:assessments:answer_save", args=[assessment.public_id, "SEC.1.5"])
    data = {"revision": "0", "level": "na", "justification": "Aucune identité traitée."}
    status = apostrophes(client.post(url, data | {"declarant_role": "Directrice technique"}).content.decode())
    assert (
        'Enregistré</span> — <span class="cv-status--warning">déclaration sur l\'honneur '
        "incomplète : indiquez le nom du déclarant et la date.</span>"
    ) in status
    # Nothing typed is lost: the answer is saved as it stands.
    answer = Answer.objects.get(assessment=assessment, item__code="SEC.1.5")
    assert (answer.level, answer.declarant_role) == ("na", "Directrice technique")
    data |= {"revision": "1", "justification": "", "declarant": "Claire Durand", "declarant_role": ""}
    status = client.post(url, data).content.decode()
    assert "indiquez le texte de la déclaration, la qualité du déclarant et la date." in status
    assert "La justification est obligatoire" not in status  # the text is named once, as a part
    complete = data | {
        "revision": "2",
        "justification": "Aucune identité traitée.",
        "declarant_role": "Directrice technique",
        "declared_on": "2025-03-02",
    }
    status = client.post(url, complete).content.decode()
    assert "Enregistré" in status and "incomplète" not in status


def test_an_ordinary_item_never_warns_of_a_declaration(setup):
    client, assessment = setup
    url = reverse("portal:assessments:answer_save", args=[assessment.public_id, "SEC.1.1"])
    status = client.post(url, {"revision": "0", "level": "rouge"}).content.decode()
    assert "Enregistré" in status and "déclaration" not in status
