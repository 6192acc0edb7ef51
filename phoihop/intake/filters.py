"""FilterSets of intake: report lists (the API and the HTML list share one) and the inbox's triage filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from phoihop.core.filters import MomentFilter
from phoihop.directory.models import AdministrativeUnit
from phoihop.inbox.models import Delivery
from phoihop.inbox.selectors import ack_deadline
from phoihop.taxonomy.models import Behaviour, Sector

from .choices import ReportStatus
from .models import Report, ReportIndicator


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


# --- The inbox ------------------------------------------------------------------------------------------------


class InboxStatus:
    WAITING = "waiting"
    ACKNOWLEDGED = "acknowledged"
    CHOICES = [(WAITING, _("Not acknowledged")), (ACKNOWLEDGED, _("Acknowledged"))]


def _behaviour_label(b) -> str:
    return f"{b.citation} · {b.help}"


class InboxFilter(django_filters.FilterSet):
    """Narrows an organisation's deliveries (already limited to what the user may see) for triage (Đ3.4).

    Every filter is a condition on the delivery or on its one report, so the inbox keeps walking its own
    index (organisation, acknowledged_at, delivered_at) newest first and stops at the end of the page."""

    status = django_filters.ChoiceFilter(
        choices=InboxStatus.CHOICES, method="filter_status", label=_("Acknowledgement"), empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.order_by("position"),
        to_field_name="code",
        field_name="report__sector",
        label=_("Sector"),
        empty_label=_("Any sector"),
    )
    behaviour = django_filters.ModelChoiceFilter(
        queryset=Behaviour.objects.order_by("position"),
        to_field_name="code",
        field_name="report__behaviour",
        label=_("Violation"),
        empty_label=_("Any violation"),
    )
    area = django_filters.ModelChoiceFilter(
        queryset=AdministrativeUnit.objects.order_by("depth", "name"),
        to_field_name="code",
        method="filter_area",
        label=_("District or area"),
        empty_label=_("Anywhere"),
    )
    has_indicator = django_filters.BooleanFilter(
        method="filter_has_indicator",
        label=_("With a phone number, web site or account"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Delivery
        fields: list[str] = []

    @property
    def form(self):
        form = super().form
        form.fields["behaviour"].label_from_instance = _behaviour_label
        return form

    def filter_status(self, qs, name, value):
        if value == InboxStatus.WAITING:
            return qs.filter(acknowledged_at__isnull=True)
        if value == InboxStatus.ACKNOWLEDGED:
            return qs.filter(acknowledged_at__isnull=False)
        return qs

    def filter_overdue(self, qs, name, value: bool):
        # Đ3.4 "immediately": unacknowledged past the deadline the settings give.
        if not value:
            return qs
        return qs.filter(acknowledged_at__isnull=True, delivered_at__lt=ack_deadline())

    def filter_area(self, qs, name, unit: AdministrativeUnit):
        # The unit and the units under it (a district's communes).
        return qs.filter(Q(report__area=unit) | Q(report__area__parent=unit) | Q(report__area__parent__parent=unit))

    def filter_has_indicator(self, qs, name, value: bool):
        if not value:
            return qs
        return qs.filter(Exists(ReportIndicator.objects.filter(report_id=OuterRef("report_id"))))

    @property
    def active(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        return {k: v for k, v in self.data.items() if k in self.filters and v not in ("", None, "false")}
