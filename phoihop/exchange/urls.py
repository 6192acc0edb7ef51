"""Pages of the exchange app, mounted at /exchange/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "exchange"
urlpatterns: list[URLPattern | URLResolver] = []
