"""Forms of triage: open a case from one or several reports, attach a report to a case, close a report."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.directory.models import User
from phoihop.directory.widgets import OrganisationCheckboxes
from phoihop.inbox.selectors import inbox_for
from phoihop.intake.choices import CloseReason, ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.permissions import visible_reports

from ..choices import AccessLevel
from ..models import Case
from ..selectors import case_for
from .common import (
    MAX_PICKABLE_REPORTS,
    DateInput,
    DomainErrorsMixin,
    end_of_day,
    grouped_organisations,
    organisations_today,
)

# --- Opening a case (triage) ----------------------------------------------------------------------------


class CaseOpenForm(DomainErrorsMixin, forms.Form):
    """Open a case from one report (on the report page) or several (the "new case" page)."""

    title = forms.CharField(
        label=_("Title"), max_length=300, help_text=_("A short description the parties will recognise.")
    )
    participants = forms.MultipleChoiceField(
        label=_("Other organisations taking part"),
        required=False,
        widget=OrganisationCheckboxes,
        help_text=_("Your organisation leads the case. You can add organisations later."),
    )
    access_level = forms.ChoiceField(
        label=_("Access"),
        choices=AccessLevel.choices,
        initial=AccessLevel.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Restricted: only the people named on the case and the heads of its organisations see it."),
    )
    due_date = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())

    service_fields = {"due_at": "due_date", "reports": "reports"}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._orgs = {o.code: o for o in organisations_today().exclude(pk=user.organisation_id).select_related("area")}
        self.fields["participants"].choices = grouped_organisations(self._orgs.values())

    def clean_due_date(self):
        day = self.cleaned_data.get("due_date")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return day

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "participants": [self._orgs[c] for c in data.get("participants", []) if c in self._orgs],
            "access_level": data["access_level"],
            "due_at": end_of_day(data.get("due_date")),
        }


def open_reports(user: User) -> QuerySet[Report]:
    """Reports delivered to the user's organisation, not yet in a case and not closed."""
    return visible_reports(user).filter(case_link__isnull=True).exclude(status=ReportStatus.CLOSED)


class CaseNewForm(CaseOpenForm):
    """Open one case from several reports of the user's inbox."""

    reports = forms.MultipleChoiceField(
        label=_("Reports"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one report.")},
    )

    field_order = ["reports", "title", "participants", "access_level", "due_date"]

    def __init__(self, *args, user: User, preselected: Iterable[str] = (), **kwargs):
        super().__init__(*args, user=user, **kwargs)
        wanted = [r for r in preselected if r][:MAX_PICKABLE_REPORTS]
        posted = self.data.getlist(self.add_prefix("reports")) if self.is_bound else []
        # The inbox's newest open reports, plus any asked for by reference (they may be older).
        newest = [d.report for d in inbox_for(user).filter(report__in=open_reports(user))[:MAX_PICKABLE_REPORTS]]
        named = {r.reference: r for r in open_reports(user).filter(reference__in=[*wanted, *posted][:500])}
        picked: dict[str, Report] = {}
        for report in [*[named[r] for r in wanted if r in named], *newest, *named.values()]:
            picked.setdefault(report.reference, report)
        self.pickable = picked
        self.fields["reports"].choices = [(ref, ref) for ref in picked]
        if not self.is_bound:
            self.initial["reports"] = [r for r in wanted if r in named]

    def clean_reports(self):
        refs = self.cleaned_data.get("reports") or []
        if not refs:
            raise forms.ValidationError(_("Choose at least one report."))
        return [self.pickable[r] for r in refs]

    def report_rows(self):
        """The checkboxes with the report they stand for (the template shows what each report is)."""
        chosen = set(self["reports"].value() or [])
        return [
            {"report": r, "checked": ref in chosen, "id": f"id_{self.add_prefix('reports')}_{i}"}
            for i, (ref, r) in enumerate(self.pickable.items())
        ]


# --- Triage of one report: attach it, or close it ----------------------------------------------------------


class AttachToCaseForm(DomainErrorsMixin, forms.Form):
    """Attach a report to an open case: one of the suggested cases, or one named by its number."""

    case = forms.ChoiceField(label=_("Suggested cases"), required=False, widget=forms.RadioSelect)
    case_number = forms.CharField(
        label=_("Or a case number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "VV26-…", "autocomplete": "off"}),
    )

    def __init__(self, *args, user: User, suggested: Iterable[Case] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["case"].choices = [(c.reference, f"{c.reference} — {c.title}") for c in suggested]
        if not self.fields["case"].choices:
            del self.fields["case"]

    def clean(self):
        data = super().clean()
        reference = (data.get("case_number") or "").strip().upper() or data.get("case") or ""
        if not reference:
            raise forms.ValidationError(_("Choose a suggested case or give a case number."))
        case = case_for(self.user, reference)
        if case is None or not case.is_open:
            self.add_error("case_number", _("No open case with this number that you can see."))
        data["target"] = case
        return data


class ReportCloseForm(DomainErrorsMixin, forms.Form):
    """Close a report without a case: unfounded, a duplicate, or outside our jurisdiction, with a reason."""

    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            (c.value, c.label) for c in (CloseReason.UNFOUNDED, CloseReason.DUPLICATE, CloseReason.NO_JURISDICTION)
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=5,
        help_text=_("Kept with the report; e.g. the report it duplicates."),
    )
