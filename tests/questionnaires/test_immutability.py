"""A published version and everything under it cannot change, whatever the write path."""

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from questionnaires.models import Item, Level, QualificationQuestion, QuestionnaireVersion, Section
from questionnaires.services import questionnaire_version_retire
from tests.accounts.factories import UserFactory
from tests.questionnaires.factories import ItemFactory, QuestionnaireVersionFactory

pytestmark = pytest.mark.django_db
FROZEN = "publiez une nouvelle version"


@pytest.fixture
def published():
    return QuestionnaireVersionFactory(with_items=3, publish=True)


def refused(write) -> None:
    with pytest.raises(IntegrityError, match=FROZEN), transaction.atomic():
        write()


def test_published_version_save_is_refused(published):
    published.profile_rules = {"nouveau": {"label": "Nouveau", "rule": {"qualification": "acces_patient"}}}
    refused(published.save)


def test_published_version_update_is_refused(published):
    refused(lambda: QuestionnaireVersion.objects.filter(pk=published.pk).update(checksum="0" * 64))


def test_published_version_cannot_go_back_to_draft(published):
    refused(lambda: QuestionnaireVersion.objects.filter(pk=published.pk).update(status="draft"))


def test_published_version_delete_is_refused(published):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.filter(pk=published.pk).delete()
    assert QuestionnaireVersion.objects.filter(pk=published.pk).exists()


def test_item_save_update_and_delete_are_refused(published):
    item = published.items.first()
    item.title = "Autre intitulé"
    refused(item.save)
    refused(lambda: Item.objects.filter(version=published).update(na_allowed=False))
    refused(item.delete)
    assert Item.objects.get(pk=item.pk).title != "Autre intitulé"


def test_bulk_operations_on_children_are_refused(published):
    section = published.sections.get()
    refused(
        lambda: Item.objects.bulk_create(
            [Item(version=published, section=section, code="NEW", title="Nouvelle")]
        )
    )
    levels = list(published.levels.all())
    for level in levels:
        level.label = "Changé"
    refused(lambda: Level.objects.bulk_update(levels, ["label"]))
    refused(lambda: QualificationQuestion.objects.filter(version=published).delete())
    refused(lambda: Section.objects.create(version=published, code="S2", title="Nouvelle section"))


def test_retiring_is_the_only_change_allowed(published):
    questionnaire_version_retire(version=published)
    published.refresh_from_db()
    assert published.status == QuestionnaireVersion.Status.RETIRED
    refused(lambda: QuestionnaireVersion.objects.filter(pk=published.pk).update(status="published"))


def test_retiring_cannot_smuggle_other_changes(published):
    refused(lambda: QuestionnaireVersion.objects.filter(pk=published.pk).update(status="retired", number=99))


def test_draft_stays_editable():
    draft = QuestionnaireVersionFactory(with_items=2)
    Item.objects.filter(version=draft).update(title="Modifiable")
    draft.profile_rules = {"p": {"label": "P", "rule": {"qualification": "acces_patient"}}}
    draft.save()
    draft.delete()
    assert not QuestionnaireVersion.objects.filter(pk=draft.pk).exists()


def test_item_must_belong_to_a_section_of_its_version():
    first, second = QuestionnaireVersionFactory(with_items=1), QuestionnaireVersionFactory()
    with pytest.raises(IntegrityError, match="même version"), transaction.atomic():
        ItemFactory(version=second, section=first.sections.get())


def test_admin_is_read_only_once_published(published):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    draft = QuestionnaireVersionFactory(with_items=1)
    version_admin, item_admin = site._registry[QuestionnaireVersion], site._registry[Item]
    assert not version_admin.has_change_permission(request, published)
    assert not version_admin.has_delete_permission(request, published)
    assert not item_admin.has_change_permission(request, published.items.first())
    assert version_admin.has_view_permission(request, published)
    assert version_admin.has_change_permission(request, draft)
    assert item_admin.has_change_permission(request, draft.items.first())
    assert not version_admin.has_add_permission(request)
    inline = version_admin.get_inline_instances(request, published)
    assert inline and not any(admin.has_add_permission(request, published) for admin in inline)
