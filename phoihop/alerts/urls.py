"""Pages of the alerts app, mounted at /alerts/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "alerts"
urlpatterns: list[URLPattern | URLResolver] = []
