"""The case page's smaller forms: participants, people, tasks, notes, links, access, the secret dossier."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.directory.models import User
from phoihop.directory.widgets import OrganisationSelect

from ..choices import AccessLevel, CaseStatus, ParticipantRole, SecretLevel
from ..models import EVIDENCE_FILES_AT_ONCE, Case, CaseMember, CaseParticipant, Task
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
    organisation = forms.ChoiceField(label=_("Organisation"), widget=OrganisationSelect)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        taking_part = CaseParticipant.objects.filter(case=case).values("organisation_id")
        self._orgs = {o.code: o for o in organisations_today().exclude(pk__in=taking_part).select_related("area")}
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
    organisation = forms.ChoiceField(label=_("By which organisation"), widget=OrganisationSelect)
    owner = forms.CharField(
        label=_("By whom"),
        required=False,
        help_text=_("Optional: one person of that organisation."),
        widget=forms.Select,
    )
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    service_fields = {"due_at": "due_date"}

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        participants = CaseParticipant.objects.filter(case=case).select_related("organisation").order_by("pk")
        self._orgs = {p.organisation.code: p.organisation for p in participants}
        self.fields["organisation"].choices = [("", "—"), *grouped_organisations(self._orgs.values())]
        # The owner list offers only the people of the organisation chosen (refreshed by htmx when it changes).
        self.fields["organisation"].widget.attrs.update(
            {
                "hx-get": reverse("cases:task_owners", args=[case.reference]),
                "hx-trigger": "change",
                "hx-target": f"#field-{self.add_prefix('owner')}",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )
        chosen = self._orgs.get(self.data.get(self.add_prefix("organisation")) or self.initial.get("organisation"))
        self.owner_organisation = chosen
        people = list(people_of([chosen.pk])) if chosen else []
        if chosen is None:
            self.fields["owner"].widget.choices = [("", _("Choose the organisation first"))]
        else:
            self.fields["owner"].widget.choices = [("", _("Anyone there")), *grouped_people(people)]

    def clean_organisation(self):
        return self._orgs[self.cleaned_data["organisation"]]

    def clean_owner(self):
        username = (self.cleaned_data.get("owner") or "").strip()
        if not username:
            return None
        person = User.objects.filter(username=username, is_active=True).select_related("organisation").first()
        if person is None:
            raise forms.ValidationError(_("Choose a person of that organisation."))
        return person

    def clean_due_date(self):
        day = self.cleaned_data.get("due_date")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return day

    def clean(self):
        data = super().clean()
        owner, org = data.get("owner"), data.get("organisation")
        if owner and org and owner.organisation_id != org.pk:
            self.add_error(
                "owner",
                _("%(name)s is not one of the people of %(org)s: choose someone of that organisation.")
                % {"name": owner.get_full_name() or owner.get_username(), "org": org.display_name},
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "organisation": data["organisation"],
            "owner": data.get("owner"),
            "due_at": end_of_day(data.get("due_date")),
        }


class TaskReassignForm(DomainErrorsMixin, forms.Form):
    """Give an open task to another person of the organisation it was given to (and say why, if one wishes)."""

    owner = forms.ChoiceField(label=_("Give it to"))
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; kept in the case's timeline."),
    )

    def __init__(self, *args, task: Task, people: Iterable[User] | None = None, secret: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The people of the task's organisation only, as for a new task (`people` read once for a page's tasks).
        candidates = people_of([task.organisation_id]) if people is None else people
        self._people = {
            u.get_username(): u
            for u in candidates
            if u.organisation_id == task.organisation_id and u.pk != task.owner_id
        }
        self.fields["owner"].choices = [("", "—"), *grouped_people(self._people.values())]
        if secret:  # Law 29/2018: no free text on a case with a state-secret dossier
            del self.fields["reason"]

    @property
    def has_choices(self) -> bool:
        return bool(self._people)

    def clean_owner(self):
        return self._people[self.cleaned_data["owner"]]

    def service_kwargs(self) -> dict:
        return {"owner": self.cleaned_data["owner"], "reason": self.cleaned_data.get("reason", "")}


# --- Files: several at once (checked by content in the service, intake.uploads) ----------------------------

# What <input type=file accept=...> offers: the kinds intake.uploads accepts (the service decides).
EVIDENCE_ACCEPT = (
    "image/*,audio/*,video/*,.pdf,.docx,.xlsx,.txt,.log,.csv,.eml,.zip,.heic,.heif,.m4a,.ogg,.opus,.mov,.3gp"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: the list of uploads (each checked by content in the service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _files_help():
    return _(
        "Photos, PDF, audio, video, Word, Excel or text; up to %(n)d files of at most %(size)s each. "
        "The SHA-256 fingerprint of each is kept."
    ) % {"n": EVIDENCE_FILES_AT_ONCE, "size": filesizeformat(settings.EVIDENCE_MAX_BYTES)}


class EvidenceForm(DomainErrorsMixin, forms.Form):
    files = MultipleFileField(label=_("Files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _files_help()


class TaskCompleteForm(DomainErrorsMixin, forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    files = MultipleFileField(label=_("Files of the result"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _files_help()


class RemoveParticipantForm(DomainErrorsMixin, forms.Form):
    """Take an organisation off the case (not the lead), saying why."""

    organisation = forms.ChoiceField(label=_("Organisation"), widget=OrganisationSelect)
    reason = forms.CharField(
        label=_("Why it is removed"),
        min_length=5,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Kept in the case's timeline. Its people named on the case are un-named; its open tasks are cancelled."
        ),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        rows = (
            CaseParticipant.objects.filter(case=case)
            .exclude(role=ParticipantRole.LEAD)
            .exclude(organisation_id=case.lead_organisation_id)
            .select_related("organisation")
            .order_by("added_at")
        )
        self._orgs = {p.organisation.code: p.organisation for p in rows}
        self.fields["organisation"].choices = [("", "—"), *grouped_organisations(self._orgs.values())]

    @property
    def has_choices(self) -> bool:
        return bool(self._orgs)

    def clean_organisation(self):
        return self._orgs[self.cleaned_data["organisation"]]


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
