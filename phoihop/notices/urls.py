"""Pages of the notices app, mounted at /notices/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "notices"
urlpatterns: list[URLPattern | URLResolver] = []
