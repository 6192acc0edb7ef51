"""What the forms of the cases app share: refusals shown on their field, dates, organisation and people choices.

Forms shape what a person typed; the services decide and refuse. Choices are limited to what makes sense
for the user and the case, and every code a form receives is resolved again through the permission scope,
so a crafted POST cannot reach an object the user may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from phoihop.core.errors import DomainError
from phoihop.directory.models import Organisation, User
from phoihop.directory.selectors import today
from phoihop.directory.widgets import organisation_choices

from ..permissions import CASE_ROLES

MAX_PICKABLE_REPORTS = 100  # the newest open reports offered as checkboxes when opening a case


def end_of_day(day: dt.date | None) -> dt.datetime | None:
    """A deadline typed as a date means the end of that day, in the site's time zone."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DomainErrorsMixin:
    """Shows a service's refusal on the field it names (or above the form)."""

    # A service's field name -> this form's field name, where they differ.
    service_fields: dict[str, str] = {}

    def add_domain_error(self, exc: DomainError) -> None:
        name = self.service_fields.get(exc.field or "", exc.field)
        self.add_error(name if name in self.fields else None, str(exc.message))


def organisation_label(org: Organisation) -> str:
    """Short and full name, for the short lists of a move (the receiving police unit, the procuracy)."""
    return org.display_name if org.display_name == org.name else f"{org.display_name} — {org.name}"


def grouped_organisations(orgs: Iterable[Organisation]) -> list:
    """Organisations as <optgroup>s by type, provincial bodies first (issue 13: directory.widgets);
    for an OrganisationSelect or OrganisationCheckboxes, which add the search."""
    return organisation_choices(orgs)


def grouped_people(people: Iterable[User]) -> list:
    groups: dict[str, list] = {}
    for person in people:
        label = f"{person.get_full_name() or person.get_username()} ({person.get_role_display()})"
        groups.setdefault(person.organisation.display_name, []).append((person.get_username(), label))
    return list(groups.items())


def organisations_today() -> QuerySet[Organisation]:
    """The organisations of today; a picker adds .select_related("area") to put provincial bodies first."""
    day = today()
    return Organisation.objects.valid_on(day).order_by("type", "name_vi")


def people_of(org_ids: Iterable[int]) -> QuerySet[User]:
    return (
        User.objects.filter(organisation_id__in=list(org_ids), is_active=True, role__in=CASE_ROLES)
        .select_related("organisation")
        .order_by("organisation__name_vi", "last_name", "first_name")
    )
