from django.contrib import admin

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "report_count", "first_seen", "last_seen"]
    list_filter = ["kind"]
    search_fields = ["=value"]
    readonly_fields = ["kind", "value", "report_count", "first_seen", "last_seen"]
