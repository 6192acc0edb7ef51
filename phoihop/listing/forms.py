"""Forms of the listing app: they shape what a person typed; the services decide and refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import DomainError
from phoihop.indicators.normalise import KIND_LABELS

from .choices import PUBLIC_KINDS
from .models import ListingCategory

MAX_PROOF_BYTES = 5 * 1024 * 1024


class DomainErrorsMixin:
    """Shows a service's refusal on the field it names (or above the form)."""

    service_fields: dict[str, str] = {}

    def add_domain_error(self, exc: DomainError) -> None:
        for name, messages in exc.errors.items():
            name = self.service_fields.get(name, name)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)  # type: ignore[attr-defined]


class MoveForm(DomainErrorsMixin, forms.Form):
    """The fields of one listing move; `note` is required exactly when the move requires it."""

    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, move, obj, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.move, self.listing, self.user = move, obj, user
        self.fields["note"].required = "note" in move.requires

    def params(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ProposeForm(DomainErrorsMixin, forms.Form):
    """Đ4.1, Đ9: an officer of the case's lead proposes a value of the case for listing."""

    indicator = forms.ChoiceField(label=_("Value"))
    category = forms.ChoiceField(label=_("Category"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What shows that this value was used for fraud (reports, verification by the carrier or bank)."),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {str(i.pk): i for i in indicators}
        self.fields["indicator"].choices = [("", "—")] + [
            (str(i.pk), f"{KIND_LABELS.get(i.kind, i.kind)}: {i.value}") for i in indicators
        ]
        self.fields["category"].choices = [("", "—")] + [
            (c.code, c.name) for c in ListingCategory.objects.filter(is_active=True)
        ]


class LookupForm(forms.Form):
    """The public look-up: one value, written any common way; the bank only matters for an account."""

    q = forms.CharField(
        label=_("Phone number, web address, bank account or e-mail"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "autofocus": True}),
    )
    bank = forms.CharField(label=_("Bank (for an account number)"), max_length=100, required=False)


class AppealForm(DomainErrorsMixin, forms.Form):
    """The owner of a listed value asks for it to be delisted."""

    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    explanation = forms.CharField(
        label=_("Why should it be delisted?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
        help_text=_(
            "For example: you are the new subscriber of a recycled number, or the site is yours and legitimate."
        ),
    )
    proof = forms.FileField(
        label=_("Proof (a photo or PDF of a contract, an ID of the subscriber...)"),
        required=False,
        help_text=_("Up to 5 MB."),
    )


class DecideAppealForm(DomainErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("uphold", _("Uphold: delist the value")), ("dismiss", _("Dismiss"))]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


KIND_CHOICES = [(k, KIND_LABELS[k]) for k in PUBLIC_KINDS]  # type: ignore[index]
