"""The small forms of the intake app: tracking by code and secret, a follow-up, a reason to reveal a contact."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TrackForm(forms.Form):
    """The tracking code and the secret given at submission: the public's only key to a report."""

    reference = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "TB26-XXXXXXXX",
            }
        ),
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"),
        required=False,
        strip=False,
        help_text=_("Something you remembered, a new call or message... The agencies handling it will see it."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
    )


class RevealContactForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to contact the reporter?"),
        required=False,
        strip=False,
        help_text=_("Required. Your name, the time and this reason are written to the audit log."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500, "aria-required": "true"}),
    )
