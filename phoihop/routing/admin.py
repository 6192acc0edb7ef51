from django.contrib import admin

from .models import RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Rules come from the rule set's routing.yaml; shown here read-only so the file stays the truth."""

    list_display = ["code", "article", "function", "resolve", "ruleset"]
    list_filter = ["ruleset", "article"]
    readonly_fields = [
        "ruleset",
        "code",
        "article",
        "description_vi",
        "description_en",
        "conditions",
        "function",
        "resolve",
        "position",
    ]

    def has_add_permission(self, request):
        return False
