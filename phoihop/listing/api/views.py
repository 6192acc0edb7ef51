"""The listing API: the public look-up (no account, rate limited) and the feeds of verified indicators (CSV,
STIX 2.1, MISP) for the holders of an API key with the feed scope."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from phoihop.api.base import _REFUSALS, HasOrganisation
from phoihop.api.throttles import TokenRateThrottle
from phoihop.core.errors import Invalid

from .. import exports
from ..lookup import HINT, answer_json, lookup
from ..permissions import has_feed_scope
from .serializers import FeedQuerySerializer, LookupAnswerSerializer, LookupQuerySerializer
from .throttles import KeyRateThrottle, PublicLookupThrottle


def _refusals(*codes: int) -> dict:
    return {code: OpenApiResponse(description=_REFUSALS[code]) for code in codes}


@extend_schema(
    tags=["public"],
    summary="Is this number, site, account or address a scam? (public look-up)",
    description=(
        "Anyone, without an account. The value is normalised as intake does; the answer is `listed` (verified as "
        "used for fraud, with category, date, public warning and appeal form), `reported` (not verified; never a "
        "count, a text, a reporter or a case) or `unknown`. Input that is no known kind of value is a 400 naming "
        "`q`, with a hint of what can be looked up."
    ),
    parameters=[LookupQuerySerializer],
    responses={
        200: LookupAnswerSerializer,
        **_refusals(400, 429),
        401: OpenApiResponse(description="A key was sent, and it is wrong or revoked (send none to ask anonymously)."),
    },
)
class PublicLookupView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicLookupThrottle, KeyRateThrottle]

    def get(self, request):
        # LookupQuerySerializer's rules, checked by hand: this is the hot path (a serializer costs more than
        # the answer from the index).
        q, bank = request.query_params.get("q", ""), request.query_params.get("bank", "")
        if len(bank) > 100:
            raise Invalid({"bank": [_("Ensure this field has no more than 100 characters.")]})
        answer = lookup(q, bank or None) if 0 < len(q) <= 300 else None
        if answer is None:
            raise Invalid({"q": [str(HINT)]})
        return Response(answer_json(answer, absolute=request.build_absolute_uri))


# --- Feeds ----------------------------------------------------------------------------------------------------


class HasFeedScope(BasePermission):
    message = _("This API key may not read the indicator feeds: ask DIC for a key with the feed scope.")

    def has_permission(self, request, view) -> bool:
        return has_feed_scope(request.auth)


class TextRenderer(BaseRenderer):
    """Lets a client that asks for CSV or plain text in (the success body is written by the view)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes | str) else JSONRenderer().render(data)


class _NoFormatOverride:
    """DRF's settings without the `?format=` override: a feed's media type follows the Accept header only."""

    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name):
        return getattr(api_settings, name)


class AcceptOnlyNegotiation(DefaultContentNegotiation):
    settings = _NoFormatOverride()


MIN_SINCE = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
MAX_SINCE = dt.datetime(2999, 12, 31, tzinfo=dt.UTC)


class FeedView(APIView):
    permission_classes = [IsAuthenticated, HasOrganisation, HasFeedScope]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [JSONRenderer, TextRenderer]
    content_negotiation_class = AcceptOnlyNegotiation

    def initial(self, request, *args, **kwargs):
        # As on every other operation, a key's call counts against its budget and a wrong method is a 405
        # before anything is said about what the key may read (DRF would check the scope first).
        self.format_kwarg = None
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        self.perform_authentication(request)
        self.check_throttles(request)
        if request.method.lower() not in self.http_method_names or not hasattr(self, request.method.lower()):
            raise MethodNotAllowed(request.method)
        self.check_permissions(request)

    def handle_exception(self, exc):
        # Errors are problem details whatever the client accepts.
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)

    def since(self, request) -> dt.datetime | None:
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = query.validated_data.get("since")
        if since is not None and not (MIN_SINCE <= since <= MAX_SINCE):
            raise Invalid({"since": [_("Give a moment between the years 1900 and 2999.")]})
        return since

    def listings(self, request):
        return list(exports.shared_listings(since=self.since(request)))


NO_FORMAT = OpenApiParameter("format", exclude=True)  # the Accept header chooses (AcceptOnlyNegotiation)
FEED_DOC = {
    "tags": ["feeds"],
    "parameters": [FeedQuerySerializer, NO_FORMAT],
}
FEED_REFUSALS = _refusals(400, 403, 429)


@extend_schema(
    summary="Verified indicators as CSV",
    responses={(200, "text/csv"): OpenApiTypes.STR, **FEED_REFUSALS},
    **FEED_DOC,
)
class CsvFeedView(FeedView):
    def get(self, request):
        body = exports.to_csv(self.listings(request))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="phoihop-listed.csv"'
        return response


@extend_schema(
    summary="Verified indicators as a STIX 2.1 bundle",
    responses={(200, "application/json"): OpenApiTypes.OBJECT, **FEED_REFUSALS},
    **FEED_DOC,
)
class StixFeedView(FeedView):
    def get(self, request):
        return HttpResponse(exports.to_stix(self.listings(request)), content_type="application/json")


@extend_schema(
    summary="MISP feed: manifest.json",
    responses={(200, "application/json"): OpenApiTypes.OBJECT, **FEED_REFUSALS},
    **FEED_DOC,
)
class MispManifestView(FeedView):
    def get(self, request):
        since = self.since(request)
        events = exports.misp_events(exports.shared_listings(ended=True))
        return HttpResponse(exports.dumps(exports.misp_manifest(events, since=since)), content_type="application/json")


@extend_schema(
    summary="MISP feed: hashes.csv",
    responses={(200, "text/csv"): OpenApiTypes.STR, **FEED_REFUSALS},
    **FEED_DOC,
)
class MispHashesView(FeedView):
    def get(self, request):
        events = exports.misp_events(exports.shared_listings(since=self.since(request)))
        return HttpResponse(exports.misp_hashes(events), content_type="text/csv; charset=utf-8")


@extend_schema(
    summary="MISP feed: one event (a day of listings)",
    responses={(200, "application/json"): OpenApiTypes.OBJECT, **_refusals(403, 404, 429)},
    parameters=[OpenApiParameter("event_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH), NO_FORMAT],
    tags=["feeds"],
)
class MispEventView(FeedView):
    def get(self, request, event_uuid):
        events = exports.misp_events(exports.shared_listings(ended=True))
        event = events.get(str(event_uuid).lower())
        if event is None:
            raise Http404
        return HttpResponse(exports.dumps(event), content_type="application/json")
