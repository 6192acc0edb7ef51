"""One FilterSet for case lists: the HTML list, its exports and the API filter the same way.

It narrows a queryset the caller has already limited to what the user may see (selectors.case_list_for);
it never widens it. Values in the query string are stable codes (sector, behaviour, area, organisation
codes, usernames), so a filtered list has a URL that can be bookmarked and shared.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Case as SqlCase
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.filters import DayFilter
from phoihop.core.search import search
from phoihop.directory.models import AdministrativeUnit, Organisation, User
from phoihop.directory.widgets import OrganisationChoiceField
from phoihop.intake.models import Report
from phoihop.intake.search import indicators_for_term
from phoihop.taxonomy.models import Behaviour, Sector

from .choices import AccessLevel, CaseStatus
from .models import Case, CaseMember, CaseParticipant, CaseReport
from .permissions import CASE_ROLES

OPEN = "open"
STATUS_CHOICES = [(OPEN, _("Open (any state but closed)")), *CaseStatus.choices]

# The workflow's order, for sorting by status (new first, closed last).
STATUS_ORDER = [s.value for s in CaseStatus]


class Sort:
    NEWEST = "newest"
    OLDEST = "oldest"
    DEADLINE = "deadline"
    STATUS = "status"

    # Newest first is the default: no value, so a default list keeps a short URL.
    CHOICES = [
        (OLDEST, _("Oldest first")),
        (DEADLINE, _("Deadline, soonest first")),
        (STATUS, _("Status, in workflow order")),
    ]


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the site's time zone (dates in the form are local dates)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _behaviour_label(b: Behaviour) -> str:
    return f"{b.citation} · {b.help}"


class OrganisationFilter(django_filters.ModelChoiceFilter):
    """An organisation, picked from a list grouped by type with a search box (issue 13: directory.widgets)."""

    field_class = OrganisationChoiceField


def _user_label(u: User) -> str:
    return u.get_full_name() or u.get_username()


class CaseFilter(django_filters.FilterSet):
    """Filters, search and sort over a queryset of cases already limited to what the user may see."""

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Words from the case or its reports; accents and capitals do not matter."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=_("Any status")
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.order_by("position"),
        to_field_name="code",
        label=_("Sector"),
        empty_label=_("Any sector"),
    )
    behaviour = django_filters.ModelChoiceFilter(
        queryset=Behaviour.objects.order_by("position"),
        to_field_name="code",
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
    lead = OrganisationFilter(
        queryset=Organisation.objects.order_by("type", "name_vi"),
        to_field_name="code",
        field_name="lead_organisation",
        label=_("Lead organisation"),
        empty_label=_("Any lead"),
    )
    participant = OrganisationFilter(
        queryset=Organisation.objects.order_by("type", "name_vi"),
        to_field_name="code",
        field_name="participants__organisation",  # for the API schema; the method filters
        method="filter_participant",
        label=_("Taking part"),
        empty_label=_("Any organisation"),
    )
    # The people offered are those of the user's own organisation (set in __init__): a list of names is
    # itself information, and other organisations' staff are not the user's to know (Đ3.1).
    officer = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(),
        to_field_name="username",
        field_name="members__user",  # for the API schema; the method filters
        method="filter_officer",
        label=_("Assigned officer"),
        empty_label=_("Anyone"),
    )
    created_from = DayFilter(
        method="filter_created_from", label=_("Opened from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = DayFilter(
        method="filter_created_to", label=_("Opened until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)
    access = django_filters.ChoiceFilter(
        choices=AccessLevel.choices, field_name="access_level", label=_("Access"), empty_label=_("Any access")
    )
    # Applied last, in filter_queryset, so that a list is always in a stable order.
    sort = django_filters.ChoiceFilter(
        choices=Sort.CHOICES, method="sort_later", label=_("Sort by"), empty_label=_("Newest first")
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "organisation_id", None):
            self.filters["officer"].queryset = User.objects.filter(
                organisation_id=user.organisation_id, is_active=True, role__in=CASE_ROLES
            ).order_by("last_name", "first_name")

    LABELS = {
        "behaviour": _behaviour_label,
        "officer": _user_label,
    }

    @property
    def form(self):
        form = super().form  # built once and kept by django-filter
        if not getattr(form, "_labelled", False):
            for name, label in self.LABELS.items():
                form.fields[name].label_from_instance = label
            form._labelled = True
        return form

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        return sort_cases(qs, self.form.cleaned_data.get("sort") if hasattr(self.form, "cleaned_data") else None)

    # --- filters ------------------------------------------------------------------------------------------

    def filter_search(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Cases whose own text matches, or one of whose reports matches (diacritics ignored)."""
        matching_cases = search(Case.objects.all(), value).values("pk")
        matching_reports = CaseReport.objects.filter(report__in=search(Report.objects.all(), value).values("pk"))
        found = Q(pk__in=matching_cases) | Q(pk__in=matching_reports.values("case_id"))
        # A number written any way ("0912345678", "0323 456 789", "+84..."): its reports, by exact value.
        indicator_ids = [i.pk for i in indicators_for_term(value)]
        if indicator_ids:
            naming = CaseReport.objects.filter(report__indicator_links__indicator_id__in=indicator_ids)
            found |= Q(pk__in=naming.values("case_id"))
        return qs.filter(found)

    def filter_status(self, qs, name, value):
        if value == OPEN:
            return qs.exclude(status=CaseStatus.CLOSED)
        return qs.filter(status=value)

    def filter_area(self, qs, name, unit: AdministrativeUnit):
        # The unit itself and the units under it (a province's districts, a district's communes).
        return qs.filter(Q(area=unit) | Q(area__parent=unit) | Q(area__parent__parent=unit))

    def filter_participant(self, qs, name, organisation: Organisation):
        return qs.filter(Exists(CaseParticipant.objects.filter(case=OuterRef("pk"), organisation=organisation)))

    def filter_officer(self, qs, name, user: User):
        return qs.filter(Exists(CaseMember.objects.filter(case=OuterRef("pk"), user=user)))

    def filter_created_from(self, qs, name, day: dt.date):
        return qs.filter(created_at__gte=_day_start(day))

    def filter_created_to(self, qs, name, day: dt.date):
        return qs.filter(created_at__lt=_day_start(day + dt.timedelta(days=1)))

    def filter_overdue(self, qs, name, value: bool):
        if not value:
            return qs
        return qs.exclude(status=CaseStatus.CLOSED).filter(due_at__lt=timezone.now())

    def sort_later(self, qs, name, value):
        return qs

    # --- what the page shows about the filters ----------------------------------------------------------------

    @property
    def active(self) -> dict[str, str]:
        """The filters in use (for the audit record of an export, and the "clear" link)."""
        if not self.is_bound:
            return {}
        return {k: v for k, v in self.data.items() if k in self.filters and k != "sort" and v not in ("", None)}


def sort_cases(qs: QuerySet[Case], value: str | None) -> QuerySet[Case]:
    """Order a case list; every order ends on the primary key so pages never overlap."""
    if value == Sort.OLDEST:
        return qs.order_by("created_at", "pk")
    if value == Sort.DEADLINE:
        return qs.order_by(F("due_at").asc(nulls_last=True), "-created_at", "-pk")
    if value == Sort.STATUS:
        position = SqlCase(
            *[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
            default=Value(len(STATUS_ORDER)),
            output_field=IntegerField(),
        )
        return qs.order_by(position, "-created_at", "-pk")
    return qs.order_by("-created_at", "-pk")
