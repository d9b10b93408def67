"""Factories for the back-office tests: a small questionnaire, products and assessments in any state."""

import factory
from django.utils import timezone

from assessments.models import Answer, Assessment, Submission, Transition
from assessments.selectors import assessment_identity, assessment_with_identity
from products.models import Product, ProductVersion, identity_key
from questionnaires.models import (
    Item,
    Level,
    QualificationQuestion,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from tests.companies.factories import CompanyFactory

LEVELS = [
    ("rouge", "Non implémenté", "#CE0500"),
    ("orange", "Prévu ou non standard", "#FC5D00"),
    ("jaune", "Partiellement conforme", "#FCC63A"),
    ("vert", "Conforme au volet", "#18753C"),
]
QUALIFICATION = "interagit_infrastructure"
SECTIONS = [("A08.3", "Connexion et transport"), ("A08.4", "Services"), ("A08.5", "Documents")]
PROFILE_RULES = {
    "alimentation": {
        "label": "Alimentation",
        "rule": {"all": [{"item": "A08.3.1", "at_least": "vert"}, {"item": "A08.4.1", "at_least": "vert"}]},
    },
    "consultation": {
        "label": "Consultation",
        "rule": {"all": [{"item": "A08.3.1", "at_least": "vert"}, {"item": "A08.5.1", "at_least": "jaune"}]},
    },
}


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"interop-{n}")
    title = factory.Sequence(lambda n: f"Interopérabilité {n}")
    theme = Questionnaire.Theme.INTEROPERABILITE


def questionnaire_version(
    *, items_per_section: int = 2, questionnaire=None, publish=True
) -> QuestionnaireVersion:
    """A questionnaire version with the four levels, three sections and items ``A08.3.1``…"""
    questionnaire = questionnaire or QuestionnaireFactory()
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=questionnaire.versions.count() + 1,
        checksum="0" * 64,
        profile_rules=PROFILE_RULES,
    )
    Level.objects.bulk_create(
        Level(version=version, code=code, label=label, colour=colour, rank=rank)
        for rank, (code, label, colour) in enumerate(LEVELS)
    )
    QualificationQuestion.objects.create(
        version=version,
        code=QUALIFICATION,
        text="Le produit interagit-il avec une infrastructure de partage de documents de santé ?",
    )
    order = 0
    for section_order, (code, title) in enumerate(SECTIONS):
        section = Section.objects.create(version=version, code=code, title=title, order=section_order)
        for number in range(1, items_per_section + 1):
            Item.objects.create(
                version=version,
                section=section,
                code=f"{code}.{number}",
                title=f"Exigence {code}.{number} du volet",
                order=order,
            )
            order += 1
    if publish:
        version.status = QuestionnaireVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
    return version


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Agenda Santé {n}")
    os = Product.OS.ANDROID
    device = Product.Device.MOBILE
    identity = factory.LazyAttribute(
        lambda p: identity_key(name=p.name, os=p.os, os_other="", device=p.device)
    )


class ProductVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductVersion

    product = factory.SubFactory(ProductFactory)
    label = factory.Sequence(lambda n: f"3.{n}")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    product_version = factory.SubFactory(ProductVersionFactory)
    questionnaire_version = factory.LazyFunction(questionnaire_version)
    state = Assessment.State.DRAFT

    class Params:
        submitted = factory.Trait(
            state=Assessment.State.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        in_review = factory.Trait(
            state=Assessment.State.IN_REVIEW, submitted_at=factory.LazyFunction(timezone.now)
        )
        validated = factory.Trait(
            state=Assessment.State.VALIDATED,
            submitted_at=factory.LazyFunction(timezone.now),
            validated_at=factory.LazyFunction(timezone.now),
        )


def answer_all(
    assessment: Assessment, levels: dict[str, str] | None = None, default: str = "vert"
) -> list[Answer]:
    """Answer every item: ``levels`` ({item code: level}) else ``default``."""
    levels = levels or {}
    items = Item.objects.filter(version=assessment.questionnaire_version).order_by("order")
    return Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            item=item,
            level=(level := levels.get(item.code, default)),
            justification="Flux non géré par le produit." if level == "na" else "",
        )
        for item in items
    )


def submit_snapshot(assessment: Assessment, *, by=None, number: int | None = None) -> Submission:
    """Freeze the current answers as a submission, as the vendor's submit would."""
    answers = {
        answer.item.code: {
            "level": answer.level,
            "justification": answer.justification,
            "comment": answer.comment,
        }
        for answer in assessment.answers.select_related("item")
    }
    number = number or assessment.submissions.count() + 1
    return Submission.objects.create(
        assessment=assessment,
        number=number,
        submitted_by=by,
        qualification=assessment.qualification,
        answers=answers,
        profiles=assessment.profiles,
        identity=assessment_identity(assessment_with_identity(assessment)),
    )


def log_transition(
    assessment: Assessment, *, to: str, actor=None, comment: str = "", from_state=None
) -> Transition:
    return Transition.objects.create(
        assessment=assessment,
        actor=actor,
        from_state=from_state or Assessment.State.DRAFT,
        to_state=to,
        comment=comment,
    )
