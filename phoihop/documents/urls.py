"""Pages of the documents app, mounted at /documents/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "documents"
urlpatterns: list[URLPattern | URLResolver] = []
