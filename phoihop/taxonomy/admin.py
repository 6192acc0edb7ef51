from django.contrib import admin

from .models import Behaviour, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "article"]


@admin.register(Behaviour)
class BehaviourAdmin(admin.ModelAdmin):
    list_display = ["code", "sector", "article", "source", "help_vi", "is_active"]
    list_filter = ["sector", "source", "is_active"]
    search_fields = ["code", "legal_basis_vi", "gloss_en", "help_vi"]
