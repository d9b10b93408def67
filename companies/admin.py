from django.contrib import admin

from companies.models import AccountRequest, Company, Invitation, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("role", "is_active")
    can_delete = False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "siren", "is_active", "created_at")
    search_fields = ("name", "siren")
    list_filter = ("is_active",)
    inlines = [MembershipInline]


@admin.register(AccountRequest)
class AccountRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are decided in the back office, through the services."""

    list_display = ("company_name", "siren", "email", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("company_name", "siren", "email")
    list_select_related = ("decided_by",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "company", "role", "expires_at", "accepted_at", "revoked_at")
    list_select_related = ("company",)
    exclude = ("token_hash",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
