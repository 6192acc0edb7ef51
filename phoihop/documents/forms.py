"""Forms of the documents pages: they shape a person's input; the services decide (and name the field)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phoihop.cases.permissions import visible_cases
from phoihop.directory.models import Organisation
from phoihop.directory.widgets import OrganisationCheckboxes, OrganisationChoiceField, OrganisationMultipleChoiceField

from .choices import DocumentKind, Urgency
from .validation import MAX_POSITION, MAX_SUMMARY


def _organisations(exclude_id=None):
    qs = Organisation.objects.valid_on(timezone.localdate()).order_by("type", "name_vi")
    return qs.exclude(pk=exclude_id) if exclude_id else qs


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    summary = forms.CharField(
        label=_("Summary (trích yếu)"),
        max_length=MAX_SUMMARY,
        help_text=_("What the document is about, in one line, e.g. “Phối hợp xác minh thuê bao có dấu hiệu lừa đảo”."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    recipients = OrganisationMultipleChoiceField(
        label=_("Recipient organisations (nơi nhận)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=OrganisationCheckboxes,
        help_text=_("Each gets the document in its incoming register once it is signed and sent."),
    )
    other_recipients = forms.CharField(
        label=_("Other recipients (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed under “Nơi nhận”, e.g. “UBND tỉnh (để báo cáo)”."),
    )
    body = forms.CharField(
        label=_("Body"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_("One paragraph per line.")
    )
    signer_position = forms.CharField(
        label=_("Signer's position"),
        max_length=MAX_POSITION,
        help_text=_("As printed above the signature, e.g. “GIÁM ĐỐC”, or “KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC”."),
    )
    drafting_unit = forms.CharField(
        label=_("Drafting unit (symbol)"),
        max_length=20,
        required=False,
        help_text=_("For an official letter: the unit's abbreviation after the symbol, e.g. TTra in 15/STTTT-TTra."),
    )
    case = forms.CharField(label=_("Case number"), max_length=20, required=False)
    stage = forms.ChoiceField(label=_("Stage of the case"), required=False)

    def __init__(self, *args, user, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["recipients"].queryset = _organisations(user.organisation_id)
        self.fields["recipients"].label_from_instance = lambda o: o.name_vi
        choices = [("", _("— none —"))]
        if case is not None:
            self.fields["case"].initial = case.reference
            for h in case.administrative_handlings.all():
                choices.append(
                    (f"administrative:{h.pk}", _("Sanction decision %(ref)s") % {"ref": h.sanction_decision})
                )
            for t in case.police_transfers.all():
                choices.append((f"transfer:{t.pk}", _("Transfer to the police: %(ref)s") % {"ref": t.dossier}))
            for r in case.recommendations.all():
                choices.append(
                    (f"recommendation:{r.pk}", _("Recommendation to the Procuracy %(ref)s") % {"ref": r.reference})
                )
        self.fields["stage"].choices = choices
        if len(choices) == 1:
            del self.fields["stage"]

    def clean_case(self):
        ref = self.cleaned_data.get("case", "").strip()
        if not ref:
            return None
        case = visible_cases(self.user).filter(reference=ref).first()
        if case is None:
            raise forms.ValidationError(_("No case with this number that you can see."))
        return case

    def stage_object(self):
        value = self.cleaned_data.get("stage") or ""
        case = self.cleaned_data.get("case")
        if not value or case is None:
            return None
        kind, _sep, pk = value.partition(":")
        related = {
            "administrative": case.administrative_handlings,
            "transfer": case.police_transfers,
            "recommendation": case.recommendations,
        }.get(kind)
        return related.filter(pk=pk).first() if related is not None and pk.isdigit() else None


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the drafter"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class IncomingForm(forms.Form):
    file = forms.FileField(
        label=_("Scan or PDF of the document"),
        help_text=_("A PDF. A signed PDF is verified; one whose signature is broken is refused."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    reference = forms.CharField(label=_("Number and symbol (as printed)"), max_length=80)
    issued_on = forms.DateField(
        label=_("Date of the document"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issuer = OrganisationChoiceField(
        label=_("Issuing organisation"), queryset=Organisation.objects.none(), required=False
    )
    issuer_name = forms.CharField(label=_("Or the issuer's name, if not in the list"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary (trích yếu)"), max_length=MAX_SUMMARY)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    case = forms.CharField(label=_("Case number"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["issuer"].queryset = _organisations(user.organisation_id)
        self.fields["issuer"].label_from_instance = lambda o: o.name_vi

    clean_case = DraftForm.clean_case
