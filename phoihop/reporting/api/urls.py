"""URLs of the reporting API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from .views import PeriodDetailView, PeriodListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("reporting/periods/", PeriodListView.as_view(), name="reporting-period-list"),
    path("reporting/periods/<str:code>/", PeriodDetailView.as_view(), name="reporting-period-detail"),
]
