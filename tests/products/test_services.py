"""Product services: identity (name + OS + device, case- and accent-insensitive), versions."""

import pytest
from django.core.exceptions import ValidationError

from products import services
from products.models import Product
from tests.companies.factories import CompanyFactory
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db

FIELDS = {"name": " Agenda Santé ", "os": "android", "device": "mobile"}


def test_create_normalises_and_sets_the_identity():
    product = services.product_create(company=CompanyFactory(), actor=None, **FIELDS)
    assert product.name == "Agenda Santé"
    assert product.identity == "agenda sante android mobile"  # the full name, folded
    assert product.display_name == "Agenda Santé Android Mobile"


def test_duplicate_is_refused_whatever_the_case_and_accents():
    company = CompanyFactory()
    services.product_create(company=company, actor=None, **FIELDS)
    with pytest.raises(ValidationError) as error:
        services.product_create(company=company, actor=None, **FIELDS | {"name": "AGENDA SANTE"})
    assert error.value.message_dict["name"] == [
        services.PRODUCT_DUPLICATE.format(name="AGENDA SANTE Android Mobile")
    ]
    assert Product.objects.filter(company=company).count() == 1


def test_os_and_device_words_in_the_name_are_refused_with_the_name_to_type():
    company = CompanyFactory()
    with pytest.raises(ValidationError) as error:
        services.product_create(
            company=company, actor=None, **FIELDS | {"name": "Agenda Santé Android Mobile"}
        )
    assert error.value.message_dict["name"] == [
        services.NAME_HAS_VARIANT.format(
            words="« Android » et « Mobile »", name="Agenda Santé", display="Agenda Santé Android Mobile"
        )
    ]
    assert not Product.objects.exists()


def test_a_multi_word_device_in_the_name_is_found_whatever_the_case():
    with pytest.raises(ValidationError) as error:
        services.product_create(
            company=CompanyFactory(), actor=None, name="Agenda site web", os="linux", device="site_web"
        )
    assert "« Site Web »" in error.value.message_dict["name"][0]


def test_a_name_made_only_of_the_variant_is_refused():
    with pytest.raises(ValidationError) as error:
        services.product_create(company=CompanyFactory(), actor=None, **FIELDS | {"name": "android"})
    assert error.value.message_dict["name"] == [services.NAME_ONLY_VARIANT.format(words="« Android »")]


def test_words_of_another_os_are_kept():
    product = services.product_create(
        company=CompanyFactory(), actor=None, **FIELDS | {"name": "Agenda Windows"}
    )
    assert product.display_name == "Agenda Windows Android Mobile"


def test_duplicate_check_compares_the_full_name():
    company = CompanyFactory()
    # Saved before names were checked: its full name reads "Agenda Santé Android Mobile Android Mobile".
    ProductFactory(company=company, name="Agenda Santé Android Mobile", os="android", device="mobile")
    with pytest.raises(ValidationError) as error:
        services.product_create(company=company, actor=None, **FIELDS)
    assert "L'entreprise a déjà un produit" in error.value.message_dict["name"][0]


def test_another_os_typed_as_autre_is_the_same_product():
    company = CompanyFactory()
    services.product_create(company=company, actor=None, **FIELDS)
    with pytest.raises(ValidationError) as error:
        services.product_create(
            company=company, actor=None, **FIELDS | {"os": "autre", "os_other": "android"}
        )
    assert "L'entreprise a déjà un produit" in error.value.message_dict["name"][0]


def test_another_company_may_use_the_same_name():
    services.product_create(company=CompanyFactory(), actor=None, **FIELDS)
    services.product_create(company=CompanyFactory(), actor=None, **FIELDS)
    assert Product.objects.count() == 2


def test_other_os_is_required_with_autre_and_dropped_otherwise():
    company = CompanyFactory()
    with pytest.raises(ValidationError):
        services.product_create(company=company, actor=None, **FIELDS | {"os": "autre"})
    product = services.product_create(company=company, actor=None, **FIELDS | {"os_other": "Tizen"})
    assert product.os_other == ""


def test_update_recomputes_the_identity():
    product = ProductFactory(name="Agenda")
    services.product_update(product=product, actor=None, name="Agenda Pro")
    product.refresh_from_db()
    assert product.identity == "agenda pro linux site web"


def test_version_labels_are_unique_per_product_ignoring_case():
    product = ProductFactory()
    services.product_version_create(product=product, actor=None, label="V2")
    with pytest.raises(ValidationError):
        services.product_version_create(product=product, actor=None, label="v2")


# --- Identity frozen once an assessment is validated ---------------------------------------------------
def validate(assessment) -> None:
    from assessments import services as assessment_services
    from tests.accounts.factories import UserFactory

    reviewer = UserFactory(reviewer=True)
    assessment_services.assessment_take(assessment=assessment, actor=reviewer)
    assessment_services.assessment_validate(assessment=assessment, actor=reviewer)


@pytest.fixture
def validated_version():
    from tests.assessments.factories import AssessmentFactory

    assessment = AssessmentFactory(submitted=True)
    validate(assessment)
    return assessment.product_version


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Autre Nom"},
        {"os": "autre", "os_other": "FreeBSD"},
        {"device": "mobile"},
        {"commercial_name": "Nouveau nom commercial"},
    ],
)
def test_identity_of_a_product_with_a_validated_assessment_cannot_change(validated_version, change):
    product = validated_version.product
    before = Product.objects.values().get(pk=product.pk)
    with pytest.raises(ValidationError) as error:
        services.product_update(product=product, actor=None, **change)
    assert set(error.value.message_dict) == set(change)
    assert all(
        messages == [services.PRODUCT_IDENTITY_LOCKED] for messages in error.value.message_dict.values()
    )
    assert Product.objects.values().get(pk=product.pk) == before


def test_description_nil_and_certifications_stay_editable_after_validation(validated_version):
    product = validated_version.product
    services.product_update(
        product=product,
        actor=None,
        name=f"  {product.name} ",  # the same name, as typed again in the form
        description="Nouvelle description.",
        nil_number="NIL-42",
        certifications="HDS",
    )
    product.refresh_from_db()
    assert (product.description, product.nil_number, product.certifications) == (
        "Nouvelle description.",
        "NIL-42",
        "HDS",
    )


def test_identity_stays_editable_until_an_assessment_is_validated():
    from tests.assessments.factories import AssessmentFactory

    product = AssessmentFactory(submitted=True).product_version.product
    services.product_update(product=product, actor=None, name="Nom corrigé")
    product.refresh_from_db()
    assert product.name == "Nom corrigé"


def test_label_of_a_version_with_a_validated_assessment_cannot_change(validated_version):
    label = validated_version.label
    with pytest.raises(ValidationError) as error:
        services.product_version_update(
            version=validated_version, actor=None, label=f"{label}-bis", status="production"
        )
    assert error.value.message_dict == {"label": [services.VERSION_LABEL_LOCKED]}
    validated_version.refresh_from_db()
    assert validated_version.label == label


def test_status_of_a_validated_version_and_labels_of_other_versions_stay_editable(validated_version):
    services.product_version_update(
        version=validated_version, actor=None, label=validated_version.label, status="obsolete"
    )
    other = services.product_version_create(product=validated_version.product, actor=None, label="5.0")
    services.product_version_update(version=other, actor=None, label="5.1", status="production")
    validated_version.refresh_from_db()
    other.refresh_from_db()
    assert (validated_version.status, other.label) == ("obsolete", "5.1")
