"""URLs of the documents API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
