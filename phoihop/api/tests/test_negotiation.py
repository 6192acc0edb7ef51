"""The API's short way through content negotiation picks what DRF's own negotiation picks."""

from __future__ import annotations

import pytest
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from phoihop.api.negotiation import ApiContentNegotiation

ACCEPTS = [None, "*/*", "application/json", "text/html", "application/json; indent=4", "text/html,*/*;q=0.8", ""]


def chosen(negotiation, accept, query, suffix):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/v1/reports/", query, **headers))
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers, suffix)
    except (NotAcceptable, Http404) as refused:
        return type(refused), None
    return type(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", [{}, {"format": "api"}, {"format": "json"}, {"page": "2"}])
@pytest.mark.parametrize("suffix", [None, "api"])
def test_the_renderer_and_media_type_are_drf_s(accept, query, suffix):
    assert chosen(ApiContentNegotiation(), accept, query, suffix) == chosen(
        DefaultContentNegotiation(), accept, query, suffix
    )
