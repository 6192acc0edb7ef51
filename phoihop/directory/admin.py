from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, ApiToken, Function, Organisation, OrganisationFunction, User


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "coastal", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "coastal", "ruleset"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "article"]
    search_fields = ["code", "name_vi", "name_en"]


class HoldingInline(admin.TabularInline):
    model = OrganisationFunction
    extra = 0
    raw_id_fields = ["area"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "type", "enterprise_kind", "area", "valid_from", "valid_to", "successor"]
    list_filter = ["type", "enterprise_kind", "ruleset"]
    search_fields = ["code", "name_vi", "name_en", "short_name"]
    raw_id_fields = ["parent", "successor", "area"]
    inlines = [HoldingInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active", "organisation__type"]
    raw_id_fields = ["organisation"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Organisation and role"), {"fields": ("organisation", "role", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Organisation and role"), {"fields": ("organisation", "role")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `phoihop issue-api-token` (the key is shown once); here they can be revoked."""

    list_display = ["organisation", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["organisation", "user", "name", "prefix", "created_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False
