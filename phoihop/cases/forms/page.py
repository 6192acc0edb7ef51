"""The case page's smaller forms: participants, people, tasks, notes, links, access, the secret dossier."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.directory.models import User

from ..choices import AccessLevel, CaseStatus, SecretLevel
from ..models import Case, CaseMember, CaseParticipant
from ..selectors import case_for
from .common import (
    DateInput,
    DomainErrorsMixin,
    end_of_day,
    grouped_organisations,
    grouped_people,
    organisations_today,
    people_of,
)
from .triage import open_reports

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
