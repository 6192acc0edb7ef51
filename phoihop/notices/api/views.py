"""The caller's own notices: `GET /api/v1/notices/` (newest first, `?unread=true` for the unread only) and
`POST /api/v1/notices/<id>/read/`. A notice is its recipient's alone: another person's is a 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import audit_context, problems
from phoihop.api.idempotency import idempotent
from phoihop.api.throttles import TokenRateThrottle
from phoihop.core.errors import Invalid

from .. import services
from ..models import Notice
from ..selectors import notice_for, notices_for, unread_count
from .serializers import NoticeSerializer

_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


class NoticePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread_count"] = unread_count(self.request.user)
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread_count"] = {"type": "integer", "description": "Unread notices (up to 100)."}
        return schema


def _unread_filter(request) -> bool:
    value = (request.query_params.get("unread") or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise Invalid({"unread": [_("Use true or false.")]})


@extend_schema(tags=["notices"])
class NoticeListView(generics.ListAPIView):
    """The caller's notices, newest first, with the number still unread."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]
    serializer_class = NoticeSerializer
    pagination_class = NoticePagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        return notices_for(self.request.user, unread=_unread_filter(self.request))

    @extend_schema(
        summary="List my notices",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the unread ones.")],
        responses={200: NoticeSerializer(many=True), **problems(400, 404)},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(tags=["notices"])
class NoticeReadView(APIView):
    """Mark one of the caller's notices read (again: no change, same answer)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]

    @extend_schema(summary="Mark a notice read", request=None, responses={200: NoticeSerializer, **problems(404)})
    @idempotent
    def post(self, request, pk: str):
        number = int(pk) if pk.isdigit() and len(pk) <= 18 else None
        notice = notice_for(request.user, number) if number else None
        if notice is None:
            raise Http404
        notice = services.notice_mark_read(notice=notice, ctx=audit_context(request))
        return Response(NoticeSerializer(notice).data)
