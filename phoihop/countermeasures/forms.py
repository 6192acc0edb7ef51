"""Forms of the countermeasures pages: the request, and one per workflow move (a field is required exactly when
the move requires it, so the page, the API and the move agree on what a move needs)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.directory.choices import OrganisationType
from phoihop.directory.models import Organisation
from phoihop.directory.selectors import today
from phoihop.directory.widgets import OrganisationSelect, organisation_choices

from .rules import fitting_targets, kind_label

DATETIME_LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MoveForm(forms.Form):
    """The fields of one move; required exactly when the move requires them."""

    def __init__(self, *args, move, obj, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.move, self.obj, self.user = move, obj, user
        for name, field in self.fields.items():
            field.required = name in move.requires

    def params(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ConfirmForm(MoveForm):
    """A move that needs nothing but a confirmation (acknowledge)."""


class ExecuteForm(MoveForm):
    executed_at = forms.DateTimeField(
        label=_("Executed at"),
        input_formats=DATETIME_LOCAL,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When your systems applied the measure."),
    )
    execution_reference = forms.CharField(
        label=_("Your reference"), max_length=200, help_text=_("The ticket or document number on your side.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("executed_at", timezone.localtime().replace(second=0, microsecond=0))


class ReasonForm(MoveForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RequestForm(forms.Form):
    """Đ4.2, Đ11.3: what the lead of a case asks of an enterprise; the service checks that it fits."""

    indicator = forms.TypedChoiceField(label=_("Value"), coerce=int)
    action = forms.ChoiceField(label=_("Measure"))
    target = forms.ChoiceField(label=_("Asked of"), widget=OrganisationSelect)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The article and the decision or document the request rests on."),
    )
    document = forms.TypedChoiceField(
        label=_("Document"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The signed dispatch of the case that asks for the measure, if there is one."),
    )
    instructions = forms.CharField(
        label=_("Instructions"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for the deadline of the rule set, counted in working days."),
    )

    def __init__(self, *args, indicators, rules, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "—")] + [
            (d.pk, f"{d.reference or '—'}: {d.summary}"[:200]) for d in documents
        ]
        self.fields["indicator"].choices = [("", "—")] + [
            (i.pk, f"{kind_label(i.kind)}: {i.value}") for i in indicators
        ]
        self.fields["action"].choices = [("", "—")] + [(r.code, f"{r.name} ({r.article})") for r in rules.values()]
        kinds = fitting_targets(rules)
        day = today()
        targets = (
            Organisation.objects.valid_on(day)
            .filter(type=OrganisationType.ENTERPRISE, enterprise_kind__in=kinds)
            .order_by("enterprise_kind", "name_vi")
        )
        self.fields["target"].choices = [
            ("", "—"),
            *organisation_choices(targets, label=lambda o: f"{o.display_name} ({o.get_enterprise_kind_display()})"),
        ]

    def clean_due_on(self) -> dt.date | None:
        due = self.cleaned_data.get("due_on")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return due
