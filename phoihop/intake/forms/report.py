"""Forms of the intake app: they shape what a person typed into a ReportInput; the services decide.

One ReportForm serves both HTML doors: the public form (contact details with consent, honeypot) and the
signed-in form of officers and enterprise reporters (Đ10.3, Đ11.5: "on behalf of", own reference).
Fields the service validates (description, contact, lengths...) are optional here so that every
complaint comes from one place and the page can list all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from phoihop.directory.choices import AreaKind
from phoihop.directory.models import AdministrativeUnit
from phoihop.directory.selectors import area_choices as directory_area_choices
from phoihop.directory.selectors import today
from phoihop.taxonomy.models import Behaviour, Sector
from phoihop.taxonomy.selectors import sectors_with_behaviours

from ..services import MAX_FILES, MAX_INDICATORS, ContactInput, IndicatorInput, ReportInput
from ..uploads import ALLOWED
from .indicators import IndicatorForm, indicator_formset, indicator_formset_for_display

# What <input type=file accept=...> offers: the extensions uploads.check_upload accepts.
ACCEPT = ",".join(sorted({ext for _mime, exts in ALLOWED.values() for ext in exts}))

# Service error keys -> the form field that shows them (the rest go to the summary as general errors).
FIELD_ERRORS = {
    "description",
    "behaviour",
    "sector",
    "area",
    "occurred_at",
    "address",
    "consent",
    "contact_name",
    "contact_email",
    "contact_phone",
    "files",
    "on_behalf_of",
    "external_ref",
}
# Short names for the error summary where the label is a sentence.
SUMMARY_LABELS = {"consent": _("Consent"), "website": _("Website")}
_INDICATOR_ERROR = "indicators."  # the service's key of a row: indicators.<position>.<field>


def behaviour_label(behaviour: Behaviour) -> str:
    """ "Scam calls or messages — Đ13.4": the plain words first, the article for those who know it."""
    return f"{behaviour.help} — {behaviour.citation}"


def behaviour_choices(sectors: list[Sector], only: str | None = None) -> list:
    """ "Not sure" first, then the behaviours grouped by sector (only one sector's when `only` is given)."""
    choices: list = [("", _("Not sure"))]
    for sector in sectors:
        if only and sector.code != only:
            continue
        options = [(b.code, behaviour_label(b)) for b in sector.behaviours.all()]
        if options:
            choices.append((sector.name, options))
    return choices


def areas_in_force():
    """The districts and communes a report may name: those in force today."""
    return AdministrativeUnit.objects.valid_on(today()).exclude(kind=AreaKind.PROVINCE)


def _code(obj) -> str | None:
    return obj.code if obj is not None else None


def area_choices() -> list:
    """ "I don't know" first, then every district-level unit and commune of the rule set in force today, each
    commune in its district's <optgroup> (directory.selectors.area_choices: after the 2025 reform, under the
    former district, its label naming the communes it took in). Both doors offer the same list."""
    return [("", _("I don't know")), *directory_area_choices()]


@dataclass
class ReportChoices:
    """The reference data a report form offers, loaded once per request."""

    sectors: list[Sector]
    areas: list

    @classmethod
    def load(cls) -> ReportChoices:
        return cls(sectors=list(sectors_with_behaviours()), areas=area_choices())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files from one input; the services check each one's content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    """A report of a violation, through the public form or the signed-in one."""

    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(),
        to_field_name="code",  # what is posted is the code
        label=_("Sector"),
        required=False,
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
        help_text=_("Optional. Choosing one shortens the list of violations below."),
    )
    behaviour = forms.ModelChoiceField(
        queryset=Behaviour.objects.filter(is_active=True),
        to_field_name="code",
        label=_("What kind of violation?"),
        required=False,
        error_messages={"invalid_choice": _("Choose a violation from the list, or “Not sure”.")},
        help_text=_('Choose the closest one, or "Not sure": the authorities will classify it.'),
    )
    area = forms.ModelChoiceField(
        queryset=AdministrativeUnit.objects.none(),  # the units in force today, set per form
        to_field_name="code",
        label=_("District or commune"),
        required=False,
        error_messages={"invalid_choice": _("Choose a place from the list, or “I don't know”.")},
    )
    address = forms.CharField(
        label=_("Address or place"),
        required=False,
        strip=False,
        help_text=_("Optional: street, hamlet, shop or landmark."),
        widget=forms.TextInput(attrs={"maxlength": 300, "autocomplete": "street-address"}),
    )
    occurred_at = forms.DateTimeField(
        label=_("When did it happen?"),
        required=False,
        help_text=_("Optional. An approximate time is fine."),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter the day and the time, for example 25/03/2026 14:30.")},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    description = forms.CharField(
        label=_("What happened?"),
        required=False,
        strip=False,
        help_text=_(
            "In your own words: what happened, who contacted you and how, what they asked for. "
            "Phone numbers, web addresses and bank accounts you mention are picked up automatically."
        ),
        widget=forms.Textarea(attrs={"rows": 7, "aria-required": "true", "maxlength": 20000}),
    )
    files = MultipleFileField(label=_("Photos, screenshots, recordings or documents"), required=False)

    # The public door only.
    contact_name = forms.CharField(
        label=_("Your name"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"type": "tel", "maxlength": 40, "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("Your e-mail"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"type": "email", "maxlength": 254, "autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my contact details are processed as described above."), required=False
    )
    # A field people never see: only a form-filling robot puts something in it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"class": "hp", "tabindex": "-1", "autocomplete": "off"}),
    )

    # The signed-in door only.
    on_behalf_of = forms.CharField(
        label=_("On behalf of"),
        required=False,
        help_text=_("If you report for another unit or person, name it."),
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    external_ref = forms.CharField(
        label=_("Your own reference"),
        required=False,
        help_text=_(
            "Optional: your ticket or document number. Sending the same reference again "
            "does not create a second report."
        ),
        widget=forms.TextInput(attrs={"maxlength": 100}),
    )

    PUBLIC_ONLY = ("contact_name", "contact_phone", "contact_email", "consent", "website")
    SIGNED_IN_ONLY = ("on_behalf_of", "external_ref")

    def __init__(self, *args, signed_in: bool = False, choices: ReportChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        for name in self.PUBLIC_ONLY if signed_in else self.SIGNED_IN_ONLY:
            del self.fields[name]
        choices = choices or ReportChoices.load()
        # The options shown are grouped (violations by sector, communes by district); what is accepted is
        # the queryset, looked up by code.
        self.fields["area"].queryset = areas_in_force()
        self.fields["sector"].choices = [("", _("All sectors"))] + [(s.code, s.name) for s in choices.sectors]
        self.fields["behaviour"].choices = behaviour_choices(choices.sectors)
        self.fields["area"].choices = choices.areas
        # Progressive enhancement: with htmx the sector narrows the violations; without it the full
        # grouped list works as it is.
        self.fields["sector"].widget.attrs.update(
            {
                "hx-get": reverse("intake:behaviour_options"),
                "hx-trigger": "change",
                "hx-target": "#id_behaviour",
                "hx-swap": "outerHTML",
                "hx-include": "#id_behaviour",
            }
        )
        self.fields["files"].widget.attrs.update({"multiple": True, "accept": ACCEPT})
        self.fields["occurred_at"].widget.attrs["max"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["files"].help_text = _(
            "Optional. Up to %(n)d files of at most %(size)s each: photos, PDF, audio, video, Word, Excel or text."
        ) % {"n": MAX_FILES, "size": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        self.indicators = indicator_formset(self.data if self.is_bound else None)
        self.service_indicator_errors: list[str] = []

    # --- What the services receive -----------------------------------------------------------------

    @property
    def is_robot(self) -> bool:
        """The honeypot was filled in."""
        return not self.signed_in and bool(str(self.data.get("website", "")).strip())

    def report_input(self) -> ReportInput:
        """The report as the services take it, from whatever parsed (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        contact = None
        if not self.signed_in:
            contact = ContactInput(
                name=data.get("contact_name", ""),
                phone=data.get("contact_phone", ""),
                email=data.get("contact_email", ""),
                consent=bool(data.get("consent")),
            )
        return ReportInput(
            description=data.get("description", ""),
            behaviour=_code(data.get("behaviour")),
            sector=_code(data.get("sector")),
            area=_code(data.get("area")),
            address=data.get("address", ""),
            occurred_at=data.get("occurred_at"),
            indicators=[
                IndicatorInput(
                    kind=f.cleaned_data["kind"], value=f.cleaned_data["value"], bank=f.cleaned_data["bank"] or None
                )
                for f in self._sent_rows()
            ],
            contact=contact,
            on_behalf_of=data.get("on_behalf_of", ""),
            external_ref=data.get("external_ref", ""),
            files=data.get("files") or [],
        )

    def _sent_rows(self) -> list[IndicatorForm]:
        """The rows handed to the service, in its order (its errors name them by position)."""
        return [f for f in self.indicators.forms if f.filled and f.is_valid()]

    def clean(self):
        cleaned = super().clean()
        self.indicators.is_valid()  # each row checks its own shape
        for row in self.indicators.forms:
            row.check_value()
        return cleaned

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show ReportInvalid's messages beside the fields they are about."""
        sent = self._sent_rows()
        for key, messages in errors.items():
            position, _dot, name = key.removeprefix(_INDICATOR_ERROR).partition(".")
            if key.startswith(_INDICATOR_ERROR) and position.isdigit() and int(position) < len(sent):
                for message in messages:
                    sent[int(position)].add_error(name if name in IndicatorForm.base_fields else None, message)
            elif key == "indicators" or key.startswith(_INDICATOR_ERROR):
                self.service_indicator_errors.extend(messages)
            elif key in FIELD_ERRORS and key in self.fields:
                if key not in self.errors:  # the form's own complaint about this field comes first
                    for message in messages:
                        self.add_error(key, message)
            else:
                for message in messages:
                    self.add_error(None, message)

    @property
    def indicator_errors(self) -> list[str]:
        """Problems with the rows as a whole (too many, a list cut short)."""
        return [*self.indicators.non_form_errors(), *self.service_indicator_errors]

    @property
    def indicator_warnings(self) -> list[IndicatorForm]:
        """The rows whose value does not parse and that the citizen has not chosen to keep as written."""
        return [f for f in self.indicators.forms if f.warning]

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or self.indicator_errors
            or any(f.errors for f in self.indicators.forms)
            or self.indicator_warnings
        )

    def error_items(self) -> list[tuple[str, str]]:
        """(anchor, message) for the summary at the top of the page, in the order of the page."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for name, form_field in self.fields.items():
            label = SUMMARY_LABELS.get(name, form_field.label)
            items += [(self[name].id_for_label, f"{label}: {message}") for message in self.errors.get(name, [])]
            if name == "occurred_at":  # the indicators come next on the page
                items += [("indicators", str(message)) for message in self.indicator_errors]
                for n, row in enumerate(self.display_indicators.forms):
                    row_label = _("Identifier %(number)s") % {"number": n + 1}
                    messages = [m for field_messages in row.errors.values() for m in field_messages]
                    messages += [row.warning] if row.warning else []
                    items += [(f"{row.prefix}-value", f"{row_label}: {message}") for message in messages]
        return items

    @cached_property
    def display_indicators(self):
        """The rows as the page shows them again (call after the service's errors were added)."""
        return indicator_formset_for_display(self.indicators)

    @property
    def max_indicators(self) -> int:
        return MAX_INDICATORS
