import factory
from django.utils import timezone

from helpcentre.models import Entry, Facet, Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("facet", "slug")

    facet = Facet.THEME
    slug = factory.Sequence(lambda n: f"theme-{n}")
    label = factory.Sequence(lambda n: f"Thème {n}")


class EntryFactory(factory.django.DjangoModelFactory):
    """A published entry; ``draft=True`` for a draft; ``tags=[...]`` files it under those values."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"reponse-{n}")
    title = factory.Sequence(lambda n: f"Question numéro {n}")
    body = "Une réponse de l'agence, en quelques phrases."
    status = Entry.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=Entry.Status.DRAFT, published_at=None)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)
