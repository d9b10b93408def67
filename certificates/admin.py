"""Read-only admin for operators: find a document (its public id for ``render_certificate``), its
status, attempts and failure reason, and its history. Every change goes through the services."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from certificates.models import Certificate
from certificates.selectors import certificate_history


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
    exclude = ("snapshot",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Certificate._meta.fields if field.name != "snapshot"] + ["history"]

    @admin.display(description="historique")
    def history(self, certificate: Certificate) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (f"{timezone.localtime(entry.at):%d/%m/%Y %H:%M:%S}", entry.label, entry.actor, entry.detail)
                for entry in certificate_history(certificate=certificate)
            ),
        )
        return format_html(
            "<table><thead><tr><th>Date</th><th>Action</th><th>Par</th><th>Détail</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a certificate is revoked, never deleted
