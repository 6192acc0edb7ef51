"""Content negotiation of the organisations' API with a short way for what every client sends.

DRF's negotiation parses the Accept header and each renderer's media type on every request (a tenth of the
CPU of an indicator look-up). A client that accepts anything or JSON, without `?format=` or a format suffix,
always gets the first renderer when it is JSON: that answer is given here directly, the same one DRF's
DefaultContentNegotiation.select_renderer would give. Anything else goes through DRF.
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation

JSON = "application/json"
ANYTHING_OR_JSON = frozenset({"*/*", JSON})


class ApiContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            renderers
            and renderers[0].media_type == JSON
            and not format_suffix
            and request.headers.get("Accept", "*/*") in ANYTHING_OR_JSON
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], JSON
        return super().select_renderer(request, renderers, format_suffix)
