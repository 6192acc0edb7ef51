"""Forms of the second step and of the security page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.errors import Invalid


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits shown by your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SetupForm(PasswordForm):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def add_domain_errors(form: forms.Form, exc: Invalid) -> None:
    """Put a service's Invalid errors on the form's fields (or on the form)."""
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
