"""URLs of the dashboards API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from .views import StatisticsView

urlpatterns: list[URLPattern | URLResolver] = [
    path("statistics/", StatisticsView.as_view(), name="statistics"),
]
