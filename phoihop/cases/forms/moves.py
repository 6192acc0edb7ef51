"""The forms of the workflow's moves: each move (workflow.py) names its form class, and a field is required
exactly when the move requires it, so the page and the move agree on what a move needs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.directory.choices import OrganisationType
from phoihop.directory.models import User
from phoihop.directory.selectors import function_holders, today
from phoihop.directory.widgets import OrganisationSelect, organisation_choices

from ..choices import Outcome
from ..models import Case
from ..selectors import case_for
from ..task_ends import open_tasks
from .common import DomainErrorsMixin, organisation_label, organisations_today


class MoveForm(DomainErrorsMixin, forms.Form):
    """The fields of one workflow move; required exactly when the move requires them."""

    def __init__(self, *args, move, obj: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.move, self.case, self.user = move, obj, user
        for name, field in self.fields.items():
            field.required = name in move.requires

    def params(self) -> dict:
        """What the move receives: the typed values, without the empty optional ones."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ConfirmMoveForm(MoveForm):
    """A move that needs nothing but a confirmation (start verification, open an investigation)."""


class AdministrativeForm(MoveForm):
    sanction_decision = forms.CharField(label=_("Sanction decision number"), max_length=100)
    fine_amount = forms.IntegerField(label=_("Fine (VND)"), min_value=0, required=False)
    measures = forms.CharField(label=_("Remedial measures"), widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(MoveForm):
    receiving_police_unit = forms.ChoiceField(
        label=_("Receiving police investigation agency"), widget=OrganisationSelect
    )
    transfer_dossier = forms.CharField(
        label=_("Transfer dossier reference"),
        max_length=300,
        help_text=_("The number of the dossier sent with the recommendation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Đ5.4, Đ10.3: whichever police unit holds the criminal-investigation function today.
        units = [
            o
            for o in function_holders("criminal_investigation", resolve="all", day=today())
            if o.type == OrganisationType.POLICE
        ]
        self._units = {o.code: o for o in units}
        self.fields["receiving_police_unit"].choices = [
            ("", "—"),
            *organisation_choices(units, label=organisation_label),
        ]
        if len(units) == 1 and not self.is_bound:
            self.initial["receiving_police_unit"] = units[0].code

    def clean_receiving_police_unit(self):
        code = self.cleaned_data.get("receiving_police_unit")
        return self._units.get(code) if code else None


class RecommendForm(MoveForm):
    procuracy = forms.ChoiceField(label=_("People's Procuracy"), widget=OrganisationSelect)
    recommendation_ref = forms.CharField(label=_("Recommendation reference"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Đ3.4: files go to the Procuracy; any procuracy in office today.
        orgs = list(organisations_today().filter(type=OrganisationType.PROCURACY))
        self._orgs = {o.code: o for o in orgs}
        self.fields["procuracy"].choices = [("", "—"), *organisation_choices(orgs, label=organisation_label)]
        if len(orgs) == 1 and not self.is_bound:
            self.initial["procuracy"] = orgs[0].code

    def clean_procuracy(self):
        code = self.cleaned_data.get("procuracy")
        return self._orgs.get(code) if code else None


class CloseForm(MoveForm):
    outcome = forms.ChoiceField(label=_("Outcome"))
    outcome_note = forms.CharField(
        label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    merged_into = forms.CharField(
        label=_("Merged into case number"),
        required=False,
        max_length=20,
        help_text=_("Only when the outcome is “merged”."),
    )
    force = forms.BooleanField(
        label=_("Close anyway: the open tasks are cancelled"),
        required=False,
        help_text=_("Needed only when tasks of the case are still open."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the outcomes this case can close with now (e.g. "prosecuted" after a recommendation).
        possible = [(o.value, o.label) for o in Outcome if self.move.outcome_possible(o, self.case.status)]
        self.fields["outcome"].choices = [("", "—"), *possible]
        # Closing with work open: the page lists the open tasks and asks for the confirmation.
        self.open_tasks = open_tasks(self.case)
        if not self.open_tasks:
            del self.fields["force"]

    def clean(self):
        data = super().clean()
        reference = (data.get("merged_into") or "").strip().upper()
        if data.get("outcome") == Outcome.MERGED:
            target = case_for(self.user, reference) if reference else None
            if target is None or target.pk == self.case.pk:
                self.add_error("merged_into", _("Give the number of the case this one is merged into."))
            data["merged_into"] = target
        else:
            data["merged_into"] = None
        return data


class ReopenForm(MoveForm):
    reason = forms.CharField(label=_("Why the case is re-opened"), widget=forms.Textarea(attrs={"rows": 3}))
