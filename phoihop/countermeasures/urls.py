"""Pages of the countermeasures app, mounted at /countermeasures/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "countermeasures"
urlpatterns: list[URLPattern | URLResolver] = []
