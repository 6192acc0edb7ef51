"""URLs of the documents API, mounted at /api/v1/ (config/urls.py)."""

from django.urls import path

from .views import (
    DocumentDetailView,
    DocumentDocxView,
    DocumentListView,
    DocumentMoveView,
    DocumentPdfView,
    IncomingView,
)

urlpatterns = [
    path("documents/", DocumentListView.as_view(), name="document-list"),
    path("documents/incoming/", IncomingView.as_view(), name="document-incoming"),
    path("documents/<str:pk>/", DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<str:pk>/pdf/", DocumentPdfView.as_view(), name="document-pdf"),
    path("documents/<str:pk>/docx/", DocumentDocxView.as_view(), name="document-docx"),
    path("documents/<str:pk>/moves/<str:name>/", DocumentMoveView.as_view(), name="document-move"),
]
