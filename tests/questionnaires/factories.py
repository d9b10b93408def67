"""Factories for questionnaire definitions, and a helper importing the real definition files."""

import factory
from django.conf import settings
from django.utils import timezone

from questionnaires.models import (
    Item,
    Level,
    QualificationQuestion,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from questionnaires.services import definition_files, questionnaire_import

DEFINITIONS_DIR = settings.BASE_DIR / "questionnaires" / "definitions"
LEVEL_SCALE = [("rouge", "#CE0500"), ("orange", "#E4794A"), ("jaune", "#C3992A"), ("vert", "#18753C")]


def import_real_definitions(number: int = 1) -> dict[str, QuestionnaireVersion]:
    """Import and publish every definition file of the repository; {questionnaire code: its version
    ``number``} (the first by default: the tests written for it keep reading it)."""
    versions = {}
    for path in definition_files([DEFINITIONS_DIR]):
        result = questionnaire_import(path=path, publish=True)
        if result.number == number:
            versions[result.code] = result.version
    return versions


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"questionnaire_{n}")
    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    theme = Questionnaire.Theme.INTEROPERABILITE


class QuestionnaireVersionFactory(factory.django.DjangoModelFactory):
    """A draft version with the four-level scale; ``with_items=N`` adds N items, ``publish=True`` freezes it."""

    class Meta:
        model = QuestionnaireVersion
        skip_postgeneration_save = True

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.Sequence(lambda n: n + 1)
    checksum = factory.Sequence(lambda n: f"{n:064x}")

    @factory.post_generation
    def content(self, create, extracted, **kwargs):
        if not create:
            return
        Level.objects.bulk_create(
            Level(version=self, code=code, label=code.capitalize(), colour=colour, rank=rank)
            for rank, (code, colour) in enumerate(LEVEL_SCALE)
        )
        QualificationQuestion.objects.create(version=self, code="acces_patient", text="Accès patient ?")

    @factory.post_generation
    def with_items(self, create, extracted, **kwargs):
        count = extracted or 0
        if create and count:
            section = Section.objects.create(version=self, code="S1", title="Section 1")
            Item.objects.bulk_create(
                Item(version=self, section=section, code=f"X.{index}", title=f"Exigence {index}", order=index)
                for index in range(count)
            )

    @factory.post_generation
    def publish(self, create, extracted, **kwargs):
        if create and extracted:
            QuestionnaireVersion.objects.filter(pk=self.pk).update(
                status=QuestionnaireVersion.Status.PUBLISHED, published_at=timezone.now()
            )
            self.refresh_from_db()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(QuestionnaireVersionFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    title = factory.Sequence(lambda n: f"Section {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    section = factory.SubFactory(SectionFactory)
    version = factory.SelfAttribute("section.version")
    code = factory.Sequence(lambda n: f"I.{n}")
    title = factory.Sequence(lambda n: f"Exigence {n}")
    order = factory.Sequence(lambda n: n)
