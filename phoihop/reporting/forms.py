"""Forms of the reporting pages: they shape input; the services validate and refuse naming the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import DomainError
from phoihop.directory.models import Organisation, User
from phoihop.directory.widgets import OrganisationChoiceField, OrganisationMultipleChoiceField

from .choices import ActivityKind


def apply_errors(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal beside the field it names (or above the form)."""
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def section_label(section: dict) -> str:
    lang = get_language() or "vi"
    return section.get("name_en") if lang.startswith("en") and section.get("name_en") else section["name_vi"]


class SectionsForm(forms.Form):
    """The narrative sections of a party's report, as the rule set lists them (saved as a draft at any time;
    the required ones are checked when the report goes to the head)."""

    def __init__(self, data=None, *, sections: list[dict], initial: dict | None = None, **kwargs):
        super().__init__(data, initial=initial, **kwargs)
        for section in sections:
            self.fields[section["code"]] = forms.CharField(
                label=section_label(section),
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("Required before the report goes to the head.") if section["required"] else "",
            )


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


def _organisations():
    return Organisation.objects.filter(valid_to__isnull=True).order_by("type", "code")


class AdHocForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    request_text = forms.CharField(label=_("What the report must cover"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = forms.DateField(label=_("Period from"), widget=DateInput)
    ends_on = forms.DateField(label=_("Period to"), widget=DateInput)
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput)
    # Đ18.2: the parties asked, picked by type with a search (issue 13); the checkboxes are the field's default.
    organisations = OrganisationMultipleChoiceField(
        label=_("Parties asked to report"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = _organisations()


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput)
    place = forms.CharField(label=_("Place"), max_length=300)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    organisations = OrganisationMultipleChoiceField(label=_("Parties invited"), queryset=Organisation.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = _organisations()


class ConclusionForm(forms.Form):
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_organisation = OrganisationChoiceField(
        label=_("Organisation that follows it up"), queryset=Organisation.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(label=_("Person in charge"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DateInput)

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = _organisations() if participants is None else participants
        self.fields["owner_organisation"].queryset = orgs
        self.fields["owner"].queryset = User.objects.filter(is_active=True, organisation__in=orgs).order_by(
            "organisation__code", "last_name"
        )
        self.fields["owner"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.organisation})"


class DifficultyForm(forms.Form):
    what = forms.CharField(label=_("Difficulty"), widget=forms.Textarea(attrs={"rows": 4}))
    article = forms.CharField(label=_("Article concerned"), max_length=40, help_text=_("For example Đ13.4 or Đ18.2."))
    proposal = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 4}))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    audience = forms.CharField(label=_("Audience"), max_length=300, help_text=_("Who it was for."))
    audience_size = forms.IntegerField(label=_("People reached"), required=False, min_value=0)
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False, help_text=_("A PDF, an image, a Word file..."))
