"""Forms of the cases app: they shape what a person typed; the services decide and refuse.

Choices are limited to what makes sense for the user and the case (their inbox, the case's organisations,
the police investigation agencies in office today), and every code a form receives is resolved again
through the permission scope, so a crafted POST cannot reach an object the user may not see.
Move forms are built from the workflow's declaration (workflow.MOVES): a field is required when the move
requires it, so the page and the service agree on what a move needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import DomainError
from phoihop.directory.choices import OrganisationType
from phoihop.directory.models import Organisation, User
from phoihop.directory.selectors import function_holders, today
from phoihop.inbox.selectors import inbox_for
from phoihop.intake.choices import CloseReason, ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.permissions import visible_reports

from .choices import AccessLevel, CaseStatus, Outcome, SecretLevel
from .models import Case, CaseMember, CaseParticipant
from .permissions import CASE_ROLES
from .selectors import case_for
from .workflow import MOVES, OUTCOME_REQUIRES_STATE, Move

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
    return org.display_name if org.display_name == org.name else f"{org.display_name} — {org.name}"


def grouped_organisations(orgs: Iterable[Organisation]) -> list:
    """Organisations as <optgroup>s by type, in the directory's order."""
    groups: dict[str, list] = {}
    for org in orgs:
        groups.setdefault(str(org.get_type_display()), []).append((org.code, organisation_label(org)))
    return list(groups.items())


def grouped_people(people: Iterable[User]) -> list:
    groups: dict[str, list] = {}
    for person in people:
        label = f"{person.get_full_name() or person.get_username()} ({person.get_role_display()})"
        groups.setdefault(person.organisation.display_name, []).append((person.get_username(), label))
    return list(groups.items())


def organisations_today() -> QuerySet[Organisation]:
    day = today()
    return Organisation.objects.valid_on(day).order_by("type", "name_vi")


def people_of(org_ids: Iterable[int]) -> QuerySet[User]:
    return (
        User.objects.filter(organisation_id__in=list(org_ids), is_active=True, role__in=CASE_ROLES)
        .select_related("organisation")
        .order_by("organisation__name_vi", "last_name", "first_name")
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
        widget=forms.CheckboxSelectMultiple,
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
        self._orgs = {o.code: o for o in organisations_today().exclude(pk=user.organisation_id)}
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


# --- The workflow's moves --------------------------------------------------------------------------------


class MoveForm(DomainErrorsMixin, forms.Form):
    """The fields of one workflow move; required exactly when the move requires them (workflow.MOVES)."""

    def __init__(self, *args, move: Move, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.move, self.case, self.user = move, case, user
        for name, field in self.fields.items():
            field.required = name in move.requires

    def params(self) -> dict:
        """What case_transition receives: the typed values, without the empty optional ones."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class AdministrativeForm(MoveForm):
    sanction_decision = forms.CharField(label=_("Sanction decision number"), max_length=100)
    fine_amount = forms.IntegerField(label=_("Fine (VND)"), min_value=0, required=False)
    measures = forms.CharField(label=_("Remedial measures"), widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(MoveForm):
    receiving_police_unit = forms.ChoiceField(label=_("Receiving police investigation agency"))
    transfer_dossier = forms.CharField(
        label=_("Transfer dossier reference"),
        max_length=300,
        help_text=_("The number of the dossier sent with the recommendation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Đ5.4, Đ10.3: whichever police unit holds the criminal-investigation function today.
        units = [
            o
            for o in function_holders("criminal_investigation", resolve="all", day=today())
            if o.type == OrganisationType.POLICE
        ]
        self._units = {o.code: o for o in units}
        self.fields["receiving_police_unit"].choices = [("", "—"), *[(o.code, organisation_label(o)) for o in units]]
        if len(units) == 1 and not self.is_bound:
            self.initial["receiving_police_unit"] = units[0].code

    def clean_receiving_police_unit(self):
        code = self.cleaned_data.get("receiving_police_unit")
        return self._units.get(code) if code else None


class RecommendForm(MoveForm):
    procuracy = forms.ChoiceField(label=_("People's Procuracy"))
    recommendation_ref = forms.CharField(label=_("Recommendation reference"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Đ3.4: files go to the Procuracy; any procuracy in office today.
        orgs = list(organisations_today().filter(type=OrganisationType.PROCURACY))
        self._orgs = {o.code: o for o in orgs}
        self.fields["procuracy"].choices = [("", "—"), *[(o.code, organisation_label(o)) for o in orgs]]
        if len(orgs) == 1 and not self.is_bound:
            self.initial["procuracy"] = orgs[0].code

    def clean_procuracy(self):
        code = self.cleaned_data.get("procuracy")
        return self._orgs.get(code) if code else None


class CloseForm(MoveForm):
    outcome = forms.ChoiceField(label=_("Outcome"))
    outcome_note = forms.CharField(
        label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    merged_into = forms.CharField(
        label=_("Merged into case number"),
        required=False,
        max_length=20,
        help_text=_("Only when the outcome is “merged”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the outcomes this case can close with now (e.g. "prosecuted" after a recommendation).
        possible = [
            (o.value, o.label)
            for o in Outcome
            if self.case.status in OUTCOME_REQUIRES_STATE.get(o, frozenset({self.case.status}))
        ]
        self.fields["outcome"].choices = [("", "—"), *possible]

    def clean(self):
        data = super().clean()
        reference = (data.get("merged_into") or "").strip().upper()
        if data.get("outcome") == Outcome.MERGED:
            target = case_for(self.user, reference) if reference else None
            if target is None or target.pk == self.case.pk:
                self.add_error("merged_into", _("Give the number of the case this one is merged into."))
            data["merged_into"] = target
        else:
            data["merged_into"] = None
        return data


class ReopenForm(MoveForm):
    reason = forms.CharField(label=_("Why the case is re-opened"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmMoveForm(MoveForm):
    """A move that needs nothing but a confirmation (start verification, open an investigation)."""


MOVE_FORMS: dict[str, type[MoveForm]] = {
    "administrative": AdministrativeForm,
    "transfer": TransferForm,
    "recommend": RecommendForm,
    "close": CloseForm,
    "reopen": ReopenForm,
}


def move_form(name: str, *, case: Case, user: User, data=None) -> MoveForm:
    move = MOVES[name]
    return MOVE_FORMS.get(name, ConfirmMoveForm)(data, move=move, case=case, user=user, prefix=f"move-{name}")


# --- The case page's smaller forms ------------------------------------------------------------------------


class ParticipantForm(DomainErrorsMixin, forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        taking_part = CaseParticipant.objects.filter(case=case).values("organisation_id")
        self._orgs = {o.code: o for o in organisations_today().exclude(pk__in=taking_part)}
        self.fields["organisation"].choices = [("", "—"), *grouped_organisations(self._orgs.values())]

    def clean_organisation(self):
        return self._orgs[self.cleaned_data["organisation"]]


class MemberForm(DomainErrorsMixin, forms.Form):
    user = forms.ChoiceField(label=_("Person"))

    def __init__(self, *args, case: Case, only_organisation: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The lead names anyone of the case's organisations; another organisation only its own people.
        org_ids = CaseParticipant.objects.filter(case=case).values_list("organisation_id", flat=True)
        if only_organisation is not None:
            org_ids = org_ids.filter(organisation_id=only_organisation)
        named = CaseMember.objects.filter(case=case).values("user_id")
        self._people = {u.get_username(): u for u in people_of(org_ids).exclude(pk__in=named)}
        self.fields["user"].choices = [("", "—"), *grouped_people(self._people.values())]

    def clean_user(self):
        return self._people[self.cleaned_data["user"]]


class TaskForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=300)
    organisation = forms.ChoiceField(label=_("By which organisation"))
    owner = forms.ChoiceField(
        label=_("By whom"), required=False, help_text=_("Optional: one person of that organisation.")
    )
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    service_fields = {"due_at": "due_date"}

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        participants = CaseParticipant.objects.filter(case=case).select_related("organisation").order_by("pk")
        self._orgs = {p.organisation.code: p.organisation for p in participants}
        self._people = {u.get_username(): u for u in people_of(o.pk for o in self._orgs.values())}
        self.fields["organisation"].choices = [("", "—"), *[(c, o.display_name) for c, o in self._orgs.items()]]
        self.fields["owner"].choices = [("", _("Anyone there")), *grouped_people(self._people.values())]

    def clean_organisation(self):
        return self._orgs[self.cleaned_data["organisation"]]

    def clean_owner(self):
        username = self.cleaned_data.get("owner")
        return self._people[username] if username else None

    def clean_due_date(self):
        day = self.cleaned_data.get("due_date")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return day

    def clean(self):
        data = super().clean()
        owner, org = data.get("owner"), data.get("organisation")
        if owner and org and owner.organisation_id != org.pk:
            self.add_error("owner", _("The owner must belong to that organisation."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "organisation": data["organisation"],
            "owner": data.get("owner"),
            "due_at": end_of_day(data.get("due_date")),
        }


class TaskCompleteForm(DomainErrorsMixin, forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class NoteForm(DomainErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class LinkForm(DomainErrorsMixin, forms.Form):
    case_number = forms.CharField(label=_("Related case number"), max_length=20)

    service_fields = {"other": "case_number"}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_case_number(self):
        other = case_for(self.user, self.cleaned_data["case_number"].strip().upper())
        if other is None:
            raise forms.ValidationError(_("No case with this number that you can see."))
        return other


class AccessForm(DomainErrorsMixin, forms.Form):
    access_level = forms.ChoiceField(label=_("Access"), choices=AccessLevel.choices, widget=forms.RadioSelect)


class SecretDossierForm(DomainErrorsMixin, forms.Form):
    """Law 29/2018: only the register entry of a state-secret dossier; its content stays off the network."""

    number = forms.CharField(label=_("Register number"), max_length=100)
    level = forms.ChoiceField(label=_("Classification"), choices=[("", "—"), *SecretLevel.choices])
    holder = forms.CharField(label=_("Holder"), max_length=200, help_text=_("Who keeps the paper dossier."))
    location = forms.CharField(label=_("Kept at"), max_length=300, help_text=_("Where the paper dossier is kept."))


class AttachReportsForm(DomainErrorsMixin, forms.Form):
    """Attach suggested reports (sharing indicators with the case) by their tracking codes."""

    reports = forms.MultipleChoiceField(label=_("Reports"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        posted = self.data.getlist("reports") if self.is_bound else []
        self._reports = {r.reference: r for r in open_reports(user).filter(reference__in=posted[:100])}
        self.fields["reports"].choices = [(ref, ref) for ref in self._reports]

    def clean_reports(self):
        return [self._reports[r] for r in self.cleaned_data["reports"]]


def status_label(status: str) -> str:
    return str(CaseStatus(status).label)
