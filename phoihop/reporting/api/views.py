"""The reporting API: periods and where each obliged party stands (Đ18.2), through the same scope as the pages:
the convenor (the DIC) sees every party; any other organisation its own obligation only."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, problems
from phoihop.core.permissions import scope

from ..models import Period
from ..permissions import is_convenor
from ..selectors.consolidation import obligation_rows
from .serializers import STATES, PeriodStatusSerializer

MAX_PERIODS = 20


def _status(request, period: Period) -> dict:
    rows = obligation_rows(period)
    if not is_convenor(request.user):
        rows = [r for r in rows if r["organisation"].pk == request.user.organisation_id]
    return {
        "code": period.code,
        "kind": period.kind,
        "title": period.title,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "due_on": period.due_on,
        "counts": {s: sum(1 for r in rows if r["state"] == s) for s in STATES},
        "obligations": [
            {
                "organisation": r["organisation"].code,
                "name": r["organisation"].name_vi,
                "state": r["state"],
                "due_on": r["due_on"],
                "submitted_at": r["submitted_at"],
                "version": r["report"].version if r["report"] else None,
                "document": r["report"].document_number if r["report"] else "",
            }
            for r in rows
        ],
    }


@extend_schema(tags=["reporting"])
class PeriodListView(OrganisationApiMixin, APIView):
    @extend_schema(
        summary="Reporting periods and obligations",
        description="The latest periods (at most 20), newest first, each with where the obliged parties stand.",
        responses={200: PeriodStatusSerializer(many=True), **problems()},
    )
    def get(self, request):
        periods = scope(request.user, Period).order_by("-ends_on", "code")[:MAX_PERIODS]
        return Response(PeriodStatusSerializer([_status(request, p) for p in periods], many=True).data)


@extend_schema(tags=["reporting"])
class PeriodDetailView(OrganisationApiMixin, APIView):
    @extend_schema(
        summary="One reporting period",
        responses={200: PeriodStatusSerializer, **problems(404)},
    )
    def get(self, request, code: str):
        period = scope(request.user, Period).filter(code=code).first()
        if period is None:
            raise Http404
        return Response(PeriodStatusSerializer(_status(request, period)).data)
