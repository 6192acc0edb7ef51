"""Pages of the reporting app, mounted at /reporting/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "reporting"
urlpatterns: list[URLPattern | URLResolver] = []
