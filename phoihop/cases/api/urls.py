"""URLs of the cases API, mounted beside the intake API at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import CaseMoveView, CaseViewSet

urlpatterns = [
    path("cases/", CaseViewSet.as_view({"get": "list"}), name="case-list"),
    path("cases/<str:reference>/", CaseViewSet.as_view({"get": "retrieve"}), name="case-detail"),
    path("cases/<str:reference>/moves/<str:name>/", CaseMoveView.as_view(), name="case-move"),
]
