"""Database factories for certificate tests: a questionnaire, an answered assessment, certificates."""

import random

import factory
from django.utils import timezone

from assessments.models import Answer, Assessment, Submission
from assessments.selectors import assessment_identity, assessment_with_identity
from assessments.services import frozen_declaration
from certificates.models import Certificate
from certificates.snapshot import snapshot_sha256
from products.models import Product, ProductVersion
from questionnaires.models import Item, Level, Questionnaire, QuestionnaireVersion, Section
from tests.certificates.snapshots import LEVELS, PROFILES, SECTIONS, make_snapshot
from tests.companies.factories import CompanyFactory


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"a08-test-{n}")
    title = "Interopérabilité"
    theme = Questionnaire.Theme.INTEROPERABILITE


class QuestionnaireVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = 1
    checksum = "0" * 64


def questionnaire_with_items(
    *, items: int = 12, sections: int = 3, applicability=None, publish: bool = True
) -> QuestionnaireVersion:
    """A questionnaire version with the four levels and ``items`` items over ``sections``, published
    unless ``publish`` is False (a published version can never be deleted: database trigger).

    ``applicability`` ({item index: tree}) makes some items conditional on the qualification.
    """
    version = QuestionnaireVersionFactory()
    Level.objects.bulk_create(Level(version=version, rank=rank, **level) for rank, level in enumerate(LEVELS))
    section_rows = Section.objects.bulk_create(
        Section(version=version, code=code, title=title, order=index)
        for index, (code, title) in enumerate(SECTIONS[:sections])
    )
    Item.objects.bulk_create(
        Item(
            version=version,
            section=section_rows[index % sections],
            code=f"{section_rows[index % sections].code}.{index + 1}",
            title=f"Exigence numéro {index + 1} du référentiel",
            order=index,
            applicability=(applicability or {}).get(index),
        )
        for index in range(items)
    )
    if publish:
        QuestionnaireVersion.objects.filter(pk=version.pk).update(
            status=QuestionnaireVersion.Status.PUBLISHED, published_at=timezone.now()
        )
        version.refresh_from_db()
    return version


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Dossier Patient {n}")
    os = Product.OS.WINDOWS
    device = Product.Device.WEB
    commercial_name = "Horizon"
    identity = factory.LazyAttribute(lambda o: f"{o.name}|{o.os}||{o.device}".lower())


class ProductVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVersion

    product = factory.SubFactory(ProductFactory)
    label = factory.Sequence(lambda n: f"2026.{n}")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    product_version = factory.SubFactory(ProductVersionFactory)
    questionnaire_version = factory.LazyFunction(questionnaire_with_items)
    state = Assessment.State.DRAFT
    profiles = factory.LazyFunction(lambda: PROFILES)

    class Params:
        validated = factory.Trait(
            state=Assessment.State.VALIDATED, validated_at=factory.LazyFunction(timezone.now)
        )


def answer_all(assessment: Assessment, *, seed: int = 3) -> None:
    """Answer every item of the assessment's questionnaire with a mix of levels, N/A and blanks."""
    rng = random.Random(seed)
    answers = []
    for item in Item.objects.filter(version=assessment.questionnaire_version):
        level = rng.choice(["rouge", "orange", "jaune", "vert", "na", ""])
        answers.append(
            Answer(
                assessment=assessment,
                item=item,
                level=level,
                justification="Flux non géré par le produit." if level == "na" else "",
                comment=rng.choice(["", "Prévu au prochain trimestre."]),
            )
        )
    Answer.objects.bulk_create(answers)


def freeze_submission(assessment: Assessment) -> Submission:
    """Record the assessment's current answers, qualification, profiles and identity as its next
    submission, as the vendor's submit does (documents about a submitted assessment read it)."""
    rows = Answer.objects.filter(assessment=assessment).values_list(
        "item__code", "level", "justification", "comment", "declarant", "declarant_role", "declared_on"
    )
    answers = {
        code: {"level": level, "justification": justification, "comment": comment}
        | frozen_declaration(*declaration)
        for code, level, justification, comment, *declaration in rows
    }
    return Submission.objects.create(
        assessment=assessment,
        number=assessment.submissions.count() + 1,
        qualification=assessment.qualification,
        answers=answers,
        profiles=assessment.profiles,
        identity=assessment_identity(assessment_with_identity(assessment)),
    )


def make_assessment(*, items: int = 12, validated: bool = True, company=None, **kwargs) -> Assessment:
    """An answered assessment; a validated one has its submission frozen like a real one."""
    extra = {"product_version__product__company": company} if company is not None else {}
    assessment = AssessmentFactory(
        questionnaire_version=questionnaire_with_items(items=items), validated=validated, **extra, **kwargs
    )
    answer_all(assessment)
    if not assessment.is_editable:
        freeze_submission(assessment)
    return assessment


def make_certificate(*, assessment=None, snapshot=None, **kwargs) -> Certificate:
    """A certificate row straight from a snapshot (as the request service would have frozen it)."""
    assessment = assessment or AssessmentFactory(validated=True)
    snapshot = snapshot or make_snapshot()
    fields = {
        "kind": snapshot["kind"],
        "company": assessment.product_version.product.company,
        "assessment": assessment,
        "snapshot": snapshot,
        "snapshot_sha256": snapshot_sha256(snapshot),
        "template_version": "2026.1",
    }
    return Certificate.objects.create(**{**fields, **kwargs})
