"""URLs of the REST API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.ReportListCreateView.as_view(), name="report-list"),
    path("reports/import/", views.ReportImportView.as_view(), name="report-import"),
    path("reports/<str:reference>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("indicators/lookup/", views.IndicatorLookupView.as_view(), name="indicator-lookup"),
    path("behaviours/", views.BehaviourListView.as_view(), name="behaviour-list"),
]
