"""Pages of the listing app, mounted at /listing/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "listing"
urlpatterns: list[URLPattern | URLResolver] = []
