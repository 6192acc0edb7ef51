"""One FilterSet for the lists of countermeasures (the API; the page offers the same two choices). It narrows a
queryset already limited to what the caller may see (selectors.countermeasure_list_for), never widens it."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import PENDING, Status
from .models import Countermeasure

QUEUE_CHOICES = [
    ("incoming", _("Asked of my organisation")),
    ("outgoing", _("Asked by my organisation")),
]
STATUS_CHOICES = [("pending", _("Pending (requested or acknowledged)")), *Status.choices]


class CountermeasureFilter(django_filters.FilterSet):
    queue = django_filters.ChoiceFilter(
        choices=QUEUE_CHOICES,
        method="filter_queue",
        label=_("Queue"),
        help_text="`incoming`: asked of the caller's organisation (an enterprise's work queue); "
        "`outgoing`: asked by it.",
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        label=_("State"),
        help_text="`pending` is requested or acknowledged: what the organisation asked still has to answer.",
    )

    case = django_filters.CharFilter(
        field_name="case__reference", label=_("Case"), help_text="The measures of one case, by its number."
    )

    class Meta:
        model = Countermeasure
        fields: list[str] = []

    def filter_queue(self, qs: QuerySet[Countermeasure], name: str, value: str) -> QuerySet[Countermeasure]:
        org_id = getattr(self.request.user, "organisation_id", None) if self.request else None
        if value == "incoming":
            return qs.filter(target_id=org_id)
        if value == "outgoing":
            return qs.filter(requesting_organisation_id=org_id)
        return qs

    def filter_status(self, qs: QuerySet[Countermeasure], name: str, value: str) -> QuerySet[Countermeasure]:
        return qs.filter(status__in=PENDING) if value == "pending" else qs.filter(status=value)
