"""URLs of the REST API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from . import views

app_name = "api"

# The schema and its viewers need a signed-in session or a token like the rest of the API.
_docs = {"permission_classes": [IsAuthenticated]}

urlpatterns = [
    path("reports/", views.ReportListCreateView.as_view(), name="report-list"),
    path("reports/import/", views.ReportImportView.as_view(), name="report-import"),
    path("reports/<str:reference>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("indicators/lookup/", views.IndicatorLookupView.as_view(), name="indicator-lookup"),
    path("behaviours/", views.BehaviourListView.as_view(), name="behaviour-list"),
    path("schema/", SpectacularAPIView.as_view(**_docs), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", **_docs), name="docs"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema", **_docs), name="redoc"),
]
