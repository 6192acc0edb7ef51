"""Views of the API's own: its documentation, served without any outside asset."""

from __future__ import annotations

from django.template import engines
from drf_spectacular.views import SpectacularRedocView
from rest_framework.renderers import TemplateHTMLRenderer

# drf-spectacular's ReDoc page loads Google Fonts; this one is its page without them, so the docs make
# no request outside the server (ReDoc falls back to the system fonts).
_REDOC_PAGE = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}<title>{{ title|default:"Redoc" }}</title>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>{% endblock head %}"""


class _LocalRedocRenderer(TemplateHTMLRenderer):
    def resolve_template(self, template_names):
        return engines["django"].from_string(_REDOC_PAGE)


class RedocView(SpectacularRedocView):
    """ReDoc with every asset served locally (the sidecar bundle, no web fonts)."""

    renderer_classes = [_LocalRedocRenderer]
