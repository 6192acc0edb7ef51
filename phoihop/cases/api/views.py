"""The cases API (reads and moves here; the other writes in write_views): the same queryset
(selectors.case_list_for), the same FilterSet and the same permission scope as the HTML list, so a case out of
scope is a 404 here too, and a view of a restricted case is recorded in the audit log like a view of its page."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import HasOrganisation, OrganisationApiMixin, audit_context, problems
from phoihop.api.idempotency import idempotent
from phoihop.api.throttles import TokenRateThrottle
from phoihop.audit.services import audit_record
from phoihop.core.errors import Invalid

from .. import services
from ..choices import AccessLevel
from ..filters import CaseFilter
from ..models import Case
from ..selectors import case_for, case_list_for, case_reports
from ..workflow import CASE_WORKFLOW
from . import write_views
from .serializers import CaseDetailSerializer, CaseSerializer, move_input_serializer


class CasePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(tags=["cases"])
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The cases the caller may see (`GET /cases/`, filtered like the web list), one case by its number, and
    `POST /cases/` to open one (write_views.case_open)."""

    permission_classes = [HasOrganisation]
    throttle_classes = [TokenRateThrottle]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    pagination_class = CasePagination
    serializer_class = CaseSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        return case_list_for(self.request.user)

    # 400: a filter value that is not one of its choices (or not a day); 404: a page past the last one.
    @extend_schema(summary="List cases", responses={200: CaseSerializer(many=True), **problems(400, 404)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @write_views.OPEN_SCHEMA
    @idempotent
    def create(self, request, *args, **kwargs):
        return write_views.case_open(request)

    @extend_schema(summary="One case", responses={200: CaseDetailSerializer, **problems(404)})
    def retrieve(self, request, *args, **kwargs):
        case = case_for(request.user, kwargs["reference"])
        if case is None:
            raise Http404
        if case.access_level == AccessLevel.RESTRICTED:
            audit_record(
                ctx=audit_context(request), action="case.view", obj=case, summary=case.reference, data={"via": "api"}
            )
        reports = case_reports(request.user, case).values_list("reference", flat=True)
        moves = CASE_WORKFLOW.available(request.user, case)
        context = {"request": request, "reports": reports, "moves": moves}
        return Response(CaseDetailSerializer(case, context=context).data)


class CaseMoveView(OrganisationApiMixin, APIView):
    """Make a workflow move on a case (`POST /cases/{reference}/moves/{name}/`): the same move object as the
    page's, so the same people may make it, with the same input (organisation and case codes) and refusals
    (403 not allowed, 409 not from this state, 400 naming the field)."""

    @extend_schema(
        summary="Make a workflow move",
        tags=["cases"],
        request=move_input_serializer(),
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(CASE_WORKFLOW.moves),
                description="The move; a case's `moves` lists those the caller may make on it now.",
            )
        ],
        responses={200: CaseDetailSerializer, **problems(400, 404, 409)},
    )
    @idempotent
    def post(self, request, reference: str, name: str):
        case = case_for(request.user, reference)
        spec = CASE_WORKFLOW.moves.get(name)
        if case is None or spec is None:
            raise Http404
        refusal = spec.refusal(request.user, case)
        if refusal is not None:
            raise refusal
        if not isinstance(request.data, Mapping):
            raise Invalid({"": [_("Send the move's fields as a JSON object.")]})
        form = spec.form(obj=case, user=request.user, data=request.data, prefix=None)
        if not form.is_valid():
            raise Invalid({k: list(v) for k, v in form.errors.items()})
        case = services.case_transition(case=case, move=name, ctx=audit_context(request), **form.params())
        case = case_for(request.user, case.reference) or case
        reports = case_reports(request.user, case).values_list("reference", flat=True)
        moves = CASE_WORKFLOW.available(request.user, case)
        context = {"request": request, "reports": reports, "moves": moves}
        return Response(CaseDetailSerializer(case, context=context).data)
