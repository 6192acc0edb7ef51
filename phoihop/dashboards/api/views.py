"""The statistics API (Đ18): `GET /api/v1/statistics/?from=&to=&group_by=`, the same numbers as the
dashboards and the six-monthly reports, all from statistics.report_statistics (the caller's permission
scope: what their organisation may see, exactly)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, problems
from phoihop.core.errors import Invalid
from phoihop.core.filters import DayField

from ..periods import default_period
from ..statistics import GROUP_BY, report_statistics


def _query_form():
    fields = {
        "from": DayField(required=False, label=_("From")),
        "to": DayField(required=False, label=_("To")),
        "group_by": forms.ChoiceField(required=False, choices=[(g, g) for g in GROUP_BY], label=_("Group by")),
    }
    return type("StatisticsQuery", (forms.Form,), fields)


StatisticsQuery = _query_form()


class StatisticsGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The code of the sector, behaviour, area or organisation; empty: not given.")
    label = serializers.CharField(help_text="Its name, in the language of the request.")
    count = serializers.IntegerField(min_value=1)


StatisticsSerializer = type(
    "StatisticsSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.DateField(help_text="First day of the period (included)."),
        "to": serializers.DateField(help_text="Last day of the period (included)."),
        "group_by": serializers.ChoiceField(choices=list(GROUP_BY)),
        "total": serializers.IntegerField(
            min_value=0, help_text="Reports received in the period that the caller may count, each once."
        ),
        "groups": StatisticsGroupSerializer(
            many=True,
            help_text="Largest first. By organisation, a report delivered to several organisations is in each "
            "of their groups, so the counts may add up to more than the total.",
        ),
        "__doc__": "Reports received in a period, counted and grouped.",
    },
)


@extend_schema(tags=["statistics"])
class StatisticsView(OrganisationApiMixin, APIView):
    """Reports received in a period that the caller may see, grouped (Đ18: the six-monthly figures)."""

    @extend_schema(
        summary="Statistics of reports received",
        parameters=[
            OpenApiParameter(
                "from",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=False,
                description="First day (YYYY-MM-DD, included); default: the first day of the current half-year.",
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=False,
                description="Last day (YYYY-MM-DD, included); default: today.",
            ),
            OpenApiParameter(
                "group_by",
                str,
                OpenApiParameter.QUERY,
                required=False,
                enum=list(GROUP_BY),
                description="sector (default), behaviour, area (district level) or organisation (the recipient).",
            ),
        ],
        responses={200: StatisticsSerializer, **problems(400)},
    )
    def get(self, request):
        form = StatisticsQuery(request.query_params)
        if not form.is_valid():
            raise Invalid({name: list(messages) for name, messages in form.errors.items()})
        start, end = default_period()
        data = form.cleaned_data
        stats = report_statistics(
            user=request.user,
            date_from=data["from"] or start,
            date_to=data["to"] or end,
            group_by=data["group_by"] or "sector",
        )
        return Response(StatisticsSerializer(stats).data)
