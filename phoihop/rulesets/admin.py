from django.contrib import admin

from .models import RuleSet, RuleSetLoad


class LoadInline(admin.TabularInline):
    model = RuleSetLoad
    extra = 0
    can_delete = False
    readonly_fields = ["version", "checksum", "loaded_at", "created", "updated"]
    exclude = ["changes"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """Rule sets are loaded from their versioned files (`phoihop load-rules`), not edited here."""

    list_display = ["code", "version", "title_vi", "effective_from", "effective_to", "loaded_at"]
    readonly_fields = [f.name for f in RuleSet._meta.fields]
    inlines = [LoadInline]

    def has_add_permission(self, request):
        return False
