from django.contrib import admin

from phoihop.inbox.models import Delivery

from .models import ImportBatch, Report


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["organisation", "articles", "delivered_at", "acknowledged_at", "escalated_at", "notified_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only oversight for administrators; work on reports happens in the app, through its services."""

    list_display = ["reference", "created_at", "channel", "reporter_type", "behaviour", "area", "status"]
    list_filter = ["channel", "reporter_type", "status"]
    search_fields = ["reference", "external_ref"]
    exclude = ["secret_hash", "search_text", "description"]
    readonly_fields = [
        f.name for f in Report._meta.fields if f.name not in {"secret_hash", "search_text", "description"}
    ]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["organisation", "key", "created_at", "rows", "created_count", "error_count"]
    readonly_fields = [
        "organisation",
        "key",
        "file_sha256",
        "created_at",
        "created_by",
        "rows",
        "created_count",
        "error_count",
        "result",
    ]

    def has_add_permission(self, request):
        return False
