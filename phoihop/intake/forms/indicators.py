"""The repeatable "phone number, web site, account..." rows of the report form: a Django formset.

The rows are posted as indicator-N-kind/value/bank with the formset's management form; the script of the
page adds rows from the formset's empty form and raises TOTAL_FORMS. Empty rows are ignored; a row the
service refuses shows the service's message beside it.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.indicators import normalise as ind

from ..services import MAX_INDICATORS

PREFIX = "indicator"
# What a well-formed value looks like, said after the warning for a value that does not parse.
_EXAMPLES = {
    ind.IndicatorKind.EMAIL: _("An e-mail address looks like ten@example.com."),
    ind.IndicatorKind.URL: _("A web address has a site name, such as https://example.com/trang or example.vn."),
    ind.IndicatorKind.DOMAIN: _("A domain name looks like example.com.vn."),
}
EMPTY_INDICATOR_ROWS = 3


def indicator_kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, label) for kind, label in ind.KIND_LABELS.items()]


def _bank_choices() -> list:
    return [("", _("Bank not known")), *ind.bank_choices()]


class IndicatorForm(forms.Form):
    """One row: what it is, the value as written, and the bank for a bank account."""

    kind = forms.ChoiceField(
        label=_("What it is"),
        required=False,
        choices=indicator_kind_choices,
        error_messages={"invalid_choice": _("Choose what this is: a phone number, a web address, an account...")},
        widget=forms.Select(attrs={"data-kind": ""}),
    )
    value = forms.CharField(
        label=_("Number, address or name"),
        required=False,
        strip=False,  # the service keeps the value as written
        widget=forms.TextInput(attrs={"maxlength": 500, "autocomplete": "off", "spellcheck": "false"}),
    )
    bank = forms.ChoiceField(
        label=_("Bank (for a bank account)"),
        required=False,
        choices=_bank_choices,
        error_messages={"invalid_choice": _("Choose a bank from the list, or “Bank not known”.")},
    )
    # Offered beside a value that does not parse: the citizen may know better (a short code, a foreign number).
    keep = forms.BooleanField(label=_("Keep as written"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warning = ""  # what is wrong with a value that does not parse (shown beside the row)
        self.normalised = ""  # how a value that parses is recorded, when that differs from what was typed

    @property
    def filled(self) -> bool:
        return bool(str(self["value"].value() or "").strip())

    def clean(self):
        cleaned = super().clean()
        if self.filled and not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", self.fields["kind"].error_messages["invalid_choice"])
        return cleaned

    def check_value(self) -> None:
        """Read the value as the indicators app does (never parsed twice elsewhere): a value that does not parse
        gets a warning unless "keep as written" is ticked; one that parses notes how it will be recorded."""
        if not self.filled or self.errors:
            return
        data = self.cleaned_data
        parsed = ind.normalise(data["kind"], data["value"], bank=data.get("bank") or None)
        if parsed.valid:
            if parsed.value != data["value"].strip():
                self.normalised = parsed.value
            return
        if data.get("keep"):
            return
        self.warning = str(parsed.message) or str(_("This value cannot be read."))
        digits = sum(ch.isdigit() for ch in data["value"])
        if parsed.kind in (ind.IndicatorKind.PHONE, ind.IndicatorKind.SMS_SENDER) and digits:
            self.warning += " " + str(
                _("It has %(n)d digits; a Vietnamese mobile number has 10 (0912 345 678) or 11 with 84 (84912345678).")
                % {"n": digits}
            )
        hint = _EXAMPLES.get(parsed.kind)
        if hint:
            self.warning += " " + str(hint)

    def typed(self) -> dict[str, str | bool]:
        """The row as typed, to show it again."""
        return {
            name: bool(self[name].value()) if name == "keep" else str(self[name].value() or "") for name in self.fields
        }


class BaseIndicatorFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _("The list of identifiers was cut short: please check them and send again."),
        "too_many_forms": _("At most %(num)d indicators per report."),
    }


IndicatorFormSet = forms.formset_factory(
    IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=EMPTY_INDICATOR_ROWS,
    max_num=MAX_INDICATORS,
    absolute_max=MAX_INDICATORS + EMPTY_INDICATOR_ROWS,  # more rows than that are not read at all
)


def indicator_formset(data=None) -> forms.BaseFormSet:
    # auto_id "%s": the ids are the names (indicator-0-value), as the page's script and links expect.
    return IndicatorFormSet(data, prefix=PREFIX, auto_id="%s")


def indicator_formset_prefilled(params) -> forms.BaseFormSet | None:
    """The first row filled from a link (`?kind=phone&value=0912345678&bank=VCB`: the public look-up's "report
    it"), or None when the link names no known kind or no value. Only shown: the citizen still sends the form."""
    kind, value = str(params.get("kind") or ""), str(params.get("value") or "").strip()
    if not value or len(value) > 500 or kind not in {k.value for k in ind.IndicatorKind}:
        return None
    bank = ind.resolve_bank(str(params.get("bank") or "")[:100]) or ""
    shown = IndicatorFormSet(initial=[{"kind": kind, "value": value, "bank": bank}], prefix=PREFIX, auto_id="%s")
    shown.extra = EMPTY_INDICATOR_ROWS - 1
    return shown


def indicator_formset_for_display(posted: forms.BaseFormSet) -> forms.BaseFormSet:
    """The rows to show again: the filled ones and those with errors (renumbered), then empty ones."""
    if not posted.is_bound:
        return posted
    kept = [f for f in posted.forms if f.filled or f.errors]
    shown = IndicatorFormSet(initial=[f.typed() for f in kept], prefix=PREFIX, auto_id="%s")
    shown.extra = max(EMPTY_INDICATOR_ROWS - len(kept), 1)
    for new, old in zip(shown.forms, kept, strict=False):
        new._errors = old.errors
        new.warning, new.normalised = old.warning, old.normalised
        if old.warning:
            new.fields["value"].widget.attrs["aria-describedby"] = f"{new.prefix}-warning"
        if old.errors:  # the row's own list of errors, under the row
            for field in new.fields.values():
                field.widget.attrs["aria-describedby"] = f"{new.prefix}-error"
    return shown
