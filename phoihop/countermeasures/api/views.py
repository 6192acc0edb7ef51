"""The countermeasures API: an enterprise's system works its queue with its token (list what is pending,
acknowledge, report executed with its reference and time, or refused with the reason), and the requesting agency
reads and lifts. The same scope (permissions.py), the same move objects (workflow.py) and the same service as the
pages; a move repeated with the same input is a retry, answered 200 with the measure, nothing written twice."""

from __future__ import annotations

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, audit_context, problems
from phoihop.api.idempotency import idempotent
from phoihop.cases.permissions import visible_cases

from ..filters import CountermeasureFilter
from ..models import Countermeasure
from ..rules import action_labels
from ..selectors import countermeasure_for, countermeasure_list_for
from ..services import countermeasure_move
from .serializers import CountermeasureSerializer, ExecuteInputSerializer, ReasonInputSerializer


class CountermeasurePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _context(request, items) -> dict:
    case_ids = {cm.case_id for cm in items}
    visible = (
        set(visible_cases(request.user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    )
    return {"request": request, "labels": action_labels(), "visible_cases": visible}


@extend_schema(tags=["countermeasures"])
class CountermeasureListView(OrganisationApiMixin, generics.ListAPIView):
    """The countermeasures the caller may see, newest first. An enterprise's queue: `?queue=incoming&status=pending`."""

    serializer_class = CountermeasureSerializer
    pagination_class = CountermeasurePagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CountermeasureFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Countermeasure.objects.none()
        return countermeasure_list_for(self.request.user)

    @extend_schema(
        summary="List countermeasures", responses={200: CountermeasureSerializer(many=True), **problems(400, 404)}
    )
    def get(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = list(page) if page is not None else list(queryset)
        data = CountermeasureSerializer(items, many=True, context=_context(request, items)).data
        return self.get_paginated_response(data) if page is not None else Response(data)


def _one(request, reference: str) -> Countermeasure:
    cm = countermeasure_for(request.user, reference)
    if cm is None:
        raise Http404
    return cm


def _answer(request, cm: Countermeasure) -> Response:
    cm = countermeasure_for(request.user, cm.reference) or cm
    return Response(CountermeasureSerializer(cm, context=_context(request, [cm])).data)


class CountermeasureDetailView(OrganisationApiMixin, APIView):
    @extend_schema(
        summary="One countermeasure",
        tags=["countermeasures"],
        responses={200: CountermeasureSerializer, **problems(404)},
    )
    def get(self, request, reference: str):
        return _answer(request, _one(request, reference))


class _MoveView(OrganisationApiMixin, APIView):
    move = ""
    input_serializer: type | None = None

    def post(self, request, reference: str):
        cm = _one(request, reference)
        data = {}
        if self.input_serializer is not None:
            body = self.input_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
            if "reason" in data:
                data["reason"] = data["reason"].strip()
        cm, _changed = countermeasure_move(countermeasure=cm, move=self.move, ctx=audit_context(request), data=data)
        return _answer(request, cm)


_MOVE_ERRORS = {200: CountermeasureSerializer, **problems(400, 404, 409)}


class AcknowledgeView(_MoveView):
    move = "acknowledge"

    @extend_schema(
        summary="Acknowledge a countermeasure",
        description="The organisation asked confirms it has the request (Đ11.3). Repeating it is answered 200.",
        tags=["countermeasures"],
        request=None,
        responses=_MOVE_ERRORS,
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)


class ExecuteView(_MoveView):
    move = "execute"
    input_serializer = ExecuteInputSerializer

    @extend_schema(
        summary="Report a countermeasure executed",
        description="When and under which reference of yours the measure was applied. Sending it again with the "
        "same reference is a retry: 200, nothing changed; with another reference it is a 409.",
        tags=["countermeasures"],
        request=ExecuteInputSerializer,
        responses=_MOVE_ERRORS,
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)


class RefuseView(_MoveView):
    move = "refuse"
    input_serializer = ReasonInputSerializer

    @extend_schema(
        summary="Refuse a countermeasure",
        description="The organisation asked cannot apply the measure, and says why.",
        tags=["countermeasures"],
        request=ReasonInputSerializer,
        responses=_MOVE_ERRORS,
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)


class LiftView(_MoveView):
    move = "lift"
    input_serializer = ReasonInputSerializer

    @extend_schema(
        summary="Lift a countermeasure",
        description="The requesting agency lifts the measure (or withdraws the request) by its decision.",
        tags=["countermeasures"],
        request=ReasonInputSerializer,
        responses=_MOVE_ERRORS,
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)
