"""Admin for definitions: a window on the data, read-only once a version is published.

Definitions are written by ``import_questionnaire`` only; the database refuses changes to a published
version anyway, the admin just does not offer them.
"""

from django.contrib import admin

from questionnaires.models import (
    Item,
    Level,
    QualificationQuestion,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)


class FrozenWhenPublished:
    """Change and delete only while the version (the object's or its parent's) is a draft."""

    def _version(self, obj):
        return obj if isinstance(obj, QuestionnaireVersion) else getattr(obj, "version", None)

    def has_change_permission(self, request, obj=None):
        version = self._version(obj)
        return super().has_change_permission(request, obj) and not (version and version.is_frozen)

    def has_delete_permission(self, request, obj=None):
        version = self._version(obj)
        return super().has_delete_permission(request, obj) and not (version and version.is_frozen)


class FrozenInline(FrozenWhenPublished, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)


class FrozenModelAdmin(FrozenWhenPublished, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False  # definitions come from the YAML files, through import_questionnaire


class LevelInline(FrozenInline):
    model = Level


class QualificationQuestionInline(FrozenInline):
    model = QualificationQuestion


class SectionInline(FrozenInline):
    model = Section


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "theme")


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(FrozenModelAdmin):
    list_display = ("questionnaire", "number", "status", "published_at", "source_path")
    list_filter = ("status", "questionnaire")
    list_select_related = ("questionnaire",)
    readonly_fields = ("checksum", "source_path", "published_at")
    inlines = [LevelInline, QualificationQuestionInline, SectionInline]


@admin.register(Item)
class ItemAdmin(FrozenModelAdmin):
    list_display = ("code", "title", "version", "na_allowed")
    list_filter = ("version__questionnaire",)
    list_select_related = ("version__questionnaire",)
    search_fields = ("code", "title")
    raw_id_fields = ("version", "section")
