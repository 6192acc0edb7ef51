"""The advisories API for agencies and enterprises by token: list, one, create (and send), acknowledge. The same
services, permission scope and refusals as the pages: out of scope is a 404; a view of a restricted advisory is
recorded in the audit log."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, audit_context, problems
from phoihop.api.idempotency import idempotent
from phoihop.api.parsers import BoundedJSONParser
from phoihop.core.errors import Invalid

from .. import services
from ..models import Advisory
from ..permissions import visible_advisories
from ..selectors import advisory_for
from .serializers import AdvisoryCreateSerializer, AdvisoryDetailSerializer, AdvisorySerializer


class AdvisoryPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _detail(request, reference: str, *, status_code: int = 200) -> Response:
    advisory = advisory_for(request.user, reference)
    if advisory is None:
        raise Http404
    return Response(AdvisoryDetailSerializer(advisory, context={"request": request}).data, status=status_code)


@extend_schema(tags=["advisories"])
class AdvisoryListView(OrganisationApiMixin, generics.ListAPIView):
    """`GET`: the advisories the caller's organisation sent or received (newest first). `POST`: a new one."""

    serializer_class = AdvisorySerializer
    pagination_class = AdvisoryPagination
    parser_classes = [BoundedJSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Advisory.objects.none()
        return (
            visible_advisories(self.request.user)
            .select_related("sender")
            .prefetch_related("recipients")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(summary="List advisories", responses={200: AdvisorySerializer(many=True), **problems(404)})
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Create an advisory (and send it)",
        request=AdvisoryCreateSerializer,
        responses={201: AdvisoryDetailSerializer, **problems(400, 413, 415)},
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        if not isinstance(request.data, Mapping):
            raise Invalid({"": [_("Send the advisory as a JSON object.")]})
        serializer = AdvisoryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        data = services.AdvisoryInput(
            kind=d["kind"],
            title=d["title"],
            method=d["method"],
            advice=d["advice"],
            access_level=d["access_level"],
            functions=d["functions"],
            types=d["types"],
            organisations=d["organisations"],
            indicators="\n".join(d["indicators"]),
        )
        advisory = services.advisory_create(data=data, ctx=audit_context(request), send=d["send"])
        response = _detail(request, advisory.reference, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:advisory-detail", args=[advisory.reference])
        return response


@extend_schema(tags=["advisories"])
class AdvisoryDetailView(OrganisationApiMixin, APIView):
    @extend_schema(summary="One advisory", responses={200: AdvisoryDetailSerializer, **problems(404)})
    def get(self, request, reference: str):
        advisory = advisory_for(request.user, reference)
        if advisory is None:
            raise Http404
        services.advisory_record_view(advisory=advisory, ctx=audit_context(request), via="api")
        return Response(AdvisoryDetailSerializer(advisory, context={"request": request}).data)


@extend_schema(tags=["advisories"])
class AdvisoryAcknowledgeView(OrganisationApiMixin, APIView):
    """The caller's organisation acknowledges an advisory it received (once: again is a 409)."""

    @extend_schema(
        summary="Acknowledge an advisory", request=None, responses={200: AdvisoryDetailSerializer, **problems(404, 409)}
    )
    @idempotent
    def post(self, request, reference: str):
        advisory = advisory_for(request.user, reference)
        if advisory is None:
            raise Http404
        services.advisory_acknowledge(advisory=advisory, ctx=audit_context(request))
        return _detail(request, reference)
