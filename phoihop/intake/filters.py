"""One FilterSet for report lists, shared by the API and the HTML list (it filters a visible_reports scope)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from phoihop.core.filters import MomentFilter

from .choices import ReportStatus
from .models import Report


class ReportFilter(django_filters.FilterSet):
    """Filters a queryset that is already limited to what the user may see."""

    behaviour = django_filters.CharFilter(
        field_name="behaviour__code", label=_("Violation code"), help_text=_("A behaviour code, e.g. 13.4.")
    )
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    created_after = MomentFilter(
        field_name="created_at",
        lookup_expr="gte",
        label=_("Received from"),
        help_text=_("ISO 8601 date or date-time; reports received at or after it."),
    )
    created_before = MomentFilter(
        field_name="created_at",
        lookup_expr="lt",
        label=_("Received before"),
        help_text=_("ISO 8601 date or date-time; reports received before it."),
    )
    external_ref = django_filters.CharFilter(
        field_name="external_ref",
        label=_("Own reference"),
        help_text=_("The reporting organisation's own reference (or the Idempotency-Key it was sent with)."),
    )

    class Meta:
        model = Report
        fields = ["behaviour", "status", "created_after", "created_before", "external_ref"]
