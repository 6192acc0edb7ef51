"""The Django admin of the alerts app: read-mostly views for support (writes go through the pages and services)."""

from django.contrib import admin

from .models import Advisory, AdvisoryKindRule, NewsroomSubscription, PublicWarning


@admin.register(Advisory)
class AdvisoryAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "title", "status", "access_level", "sender", "sent_at"]
    list_filter = ["kind", "status", "access_level"]
    search_fields = ["reference", "title"]
    readonly_fields = [f.name for f in Advisory._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PublicWarning)
class PublicWarningAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "organisation", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NewsroomSubscription)
class NewsroomSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "confirmed_at", "unsubscribed_at"]
    search_fields = ["name", "email"]
    exclude = ["token"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AdvisoryKindRule)
class AdvisoryKindRuleAdmin(admin.ModelAdmin):
    """Loaded from the rule set (alerts.yaml); shown, not edited."""

    list_display = ["kind", "article", "issuer_functions", "reminder_hours", "max_reminders"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
