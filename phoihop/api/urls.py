"""The API's own URLs (schema and documentation), mounted at /api/v1/ beside every app's API urls."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from .views import RedocView

# The schema and its viewers need a signed-in session or a token like the rest of the API.
_docs = {"permission_classes": [IsAuthenticated]}

# Swagger UI and ReDoc (drf-spectacular's pages) start with an inline script and style, and ReDoc runs a
# worker from a blob: these two pages alone relax the site's Content-Security-Policy (config/settings.py).
_docs_csp = csp_update(
    {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**_docs), name="schema"),
    path("docs/", _docs_csp(SpectacularSwaggerView.as_view(url_name="api:schema", **_docs)), name="docs"),
    path("redoc/", _docs_csp(RedocView.as_view(url_name="api:schema", **_docs)), name="redoc"),
]
