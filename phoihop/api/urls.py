"""The API's own URLs (schema and documentation), mounted at /api/v1/ beside every app's API urls."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from .views import RedocView

# The schema and its viewers need a signed-in session or a token like the rest of the API.
_docs = {"permission_classes": [IsAuthenticated]}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**_docs), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", **_docs), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema", **_docs), name="redoc"),
]
