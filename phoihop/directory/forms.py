"""Forms of the directory: an organisation's contact details."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import CONTACT_FIELDS, Organisation


def _formfield(field: models.Field, **kwargs):
    """A website typed without its scheme is taken as https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ContactForm(forms.ModelForm):
    """The contact fields the organisation keeps; those the rule set gives are shown but cannot be changed."""

    class Meta:
        model = Organisation
        fields = list(CONTACT_FIELDS)
        formfield_callback = _formfield
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "focal_point_phone": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {
            "phone": _("The switchboard or duty line, e.g. 0299 3822 123."),
            "focal_point_name": _("The person who receives reports for the organisation (Đ3.3)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.instance.contact_from_ruleset:
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("From the rule set; changed there (Đ19).")

    def changed_values(self) -> dict[str, str]:
        """The editable fields as typed, for the service."""
        return {name: self.cleaned_data.get(name) or "" for name in self.fields if not self.fields[name].disabled}
