"""Filters shared by the apps' FilterSets (django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1900, 2999


class DayField(forms.DateField):
    """A calendar day the product can turn into a time in any time zone (so 0001-01-01 is refused, not
    an overflow deep in a query)."""

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Give a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )


class MomentField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time within the years above and with a UTC offset of at most 14 hours (the widest
    in use): PostgreSQL refuses wider offsets deep in a query, so they are refused here, naming the field."""

    def validate(self, value: dt.datetime | None) -> None:
        super().validate(value)
        if value is None:
            return
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Give a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )
        offset = value.utcoffset()
        if offset is not None and abs(offset) > dt.timedelta(hours=14):
            raise ValidationError(_("A time zone offset is at most 14 hours."), code="out_of_range")


class MomentFilter(django_filters.IsoDateTimeFilter):
    """An IsoDateTimeFilter bounded like MomentField (a 400 with the field named otherwise)."""

    field_class = MomentField


class DayFilter(django_filters.DateFilter):
    """A DateFilter whose day must lie between 1900 and 2999 (a 400 with the field named otherwise)."""

    field_class = DayField
