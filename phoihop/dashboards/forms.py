"""The period a dashboard shows (from, to: days, both included) and the filters of the list behind a figure.

The query string says `from` and `to`, like the statistics API (keywords of Python, hence fields added by name).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.filters import DayField

from .periods import default_period


class PeriodForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date = forms.DateInput(attrs={"type": "date"})
        self.fields = {
            "from": DayField(label=_("From"), required=False, widget=date),
            "to": DayField(label=_("To"), required=False, widget=date),
            **self.fields,
        }

    def clean(self):
        data = super().clean()
        start, end = default_period()
        data["from"] = data.get("from") or start
        data["to"] = data.get("to") or end
        if data["to"] < data["from"]:
            self.add_error("to", _("The end of the period is before its start."))
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period, or the default one when the form is not valid (its errors are shown)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["from"], self.cleaned_data["to"]
        return default_period()


class ReportListForm(PeriodForm):
    """What a figure stands for: reports received in a period, of a sector, a behaviour, an area (a
    district-level unit and what lies in it) or delivered to an organisation; codes, as in the API."""

    sector = forms.CharField(label=_("Sector"), required=False, max_length=64)
    behaviour = forms.CharField(label=_("Violation"), required=False, max_length=40)
    area = forms.CharField(label=_("Area"), required=False, max_length=64)
    organisation = forms.CharField(label=_("Delivered to"), required=False, max_length=64)
