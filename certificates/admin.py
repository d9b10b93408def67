"""Read-only admin for operators: find a document (its public id for ``render_certificate``), its
status, attempts and failure reason, and its event log. Every change goes through the services."""

from django.contrib import admin

from certificates.models import Certificate, CertificateEvent


class CertificateEventInline(admin.TabularInline):
    model = CertificateEvent
    fields = ("at", "action", "actor", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = (
        "display_code",
        "kind",
        "status",
        "company",
        "created_at",
        "rendered_at",
        "revoked_at",
        "attempts",
    )
    list_filter = ("kind", "status", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("code", "public_id", "company__name", "company__siren")
    list_select_related = ("company",)
    inlines = [CertificateEventInline]
    exclude = ("snapshot",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Certificate._meta.fields if field.name != "snapshot"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a certificate is revoked, never deleted
