"""Pages of the dashboards app, mounted at /dashboards/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "dashboards"
urlpatterns: list[URLPattern | URLResolver] = []
