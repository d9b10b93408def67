"""Read-only windows on the audit of the admin site itself: its actions and account privileges."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from audit.models import AdminActionEvent, UserEvent


class AuditEventAdmin(admin.ModelAdmin):
    list_select_related = ("pgh_context",)

    @admin.display(description="par")
    def actor(self, event) -> str:
        user_id = (event.pgh_context.metadata if event.pgh_context else {}).get("user")
        return str(get_user_model().objects.filter(pk=user_id).first() or "—") if user_id else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the trail is never edited


@admin.register(AdminActionEvent)
class AdminActionEventAdmin(AuditEventAdmin):
    list_display = ("action_time", "actor", "action_flag", "content_type", "object_repr", "change_message")
    list_filter = ("action_flag",)
    search_fields = ("object_repr",)


@admin.register(UserEvent)
class UserEventAdmin(AuditEventAdmin):
    list_display = ("pgh_created_at", "actor", "pgh_label", "email", "is_active", "is_reviewer", "is_staff")
    search_fields = ("email",)
