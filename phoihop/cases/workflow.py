"""The case workflow, declared once with the engine of phoihop.core.workflow: each move is one object
that says who may make it (a rule of permissions.py), what it needs (its form), what it refuses, what it
does, and the article it rests on. Views, the API and services all go through these objects.

    new -> verifying -> administrative handling (DIC or DoIT: sanction)        -> closed
                     -> transferred to the police (Đ5.4, Đ10.3) -> under investigation
                        -> recommended for prosecution (Đ3.4: the Procuracy) -> closed
    any open state -> closed (with an outcome); closed -> verifying (re-open)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow
from phoihop.directory.choices import OrganisationType
from phoihop.directory.selectors import function_holders
from phoihop.intake.models import Report
from phoihop.intake.services import report_status_move_many

from . import events
from . import permissions as perm
from .choices import CaseStatus as S
from .choices import Outcome, ParticipantRole
from .forms.moves import AdministrativeForm, CloseForm, ConfirmMoveForm, RecommendForm, ReopenForm, TransferForm
from .models import (
    AdministrativeHandling,
    Case,
    CaseClosure,
    CaseMember,
    CaseParticipant,
    PoliceTransfer,
    ProcuracyRecommendation,
)
from .task_ends import cancel_tasks, open_tasks

OPEN = frozenset(s for s in S.values if s != S.CLOSED)


class CaseMove(Move):
    """A move of the case workflow: refusals in the case's words; a hidden case's state is never told."""

    form_class: type[forms.Form] = ConfirmMoveForm

    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' on this case.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the case is '%(status)s'.") % {
            "move": self.label,
            "status": S(obj.status).label,
        }

    def stale_message(self, obj) -> str:
        return _("The case was changed by someone else; reload it.")

    def refusal(self, user, obj) -> DomainError | None:
        if not perm.can(user, perm.Action.VIEW, obj):  # a hidden case's state is not revealed either
            return NotAllowed(self.not_allowed_message(obj))
        return super().refusal(user, obj)

    def after(self, *, obj, ctx) -> None:
        events.notify(obj, f"move.{self.name}")


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _confirmed(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _move_reports(case: Case, move: str, ctx) -> None:
    """Make the report move that follows from the case's (intake.status: case_closed, case_reopened) on all
    its reports at once. Such a move is the system's, never a person's: it is made without an actor, and
    its audit events name the case and the person whose case move caused it."""
    system = AuditContext(ip_address=getattr(ctx, "ip_address", None), label="system")
    by = getattr(ctx, "actor_label", "system")
    reports = Report.objects.filter(case_link__case=case)
    report_status_move_many(reports=reports, move=move, ctx=system, data={"case": case.reference, "by": by})


class Verify(CaseMove):
    name, label, article = "verify", gettext_lazy("Start verification"), "Đ4.4"
    sources, target = frozenset({S.NEW}), S.VERIFYING
    actor = perm.lead_may_move


class HandleAdministratively(CaseMove):
    """Đ4.5, Đ5.4, Đ8.2: a lead that imposes administrative sanctions records its sanction decision."""

    name, label, article = "administrative", gettext_lazy("Handle administratively"), "Đ4.5, Đ5.4"
    sources, target = frozenset({S.VERIFYING}), S.ADMINISTRATIVE
    actor = perm.sanctioning_lead_may_move
    requires = ("sanction_decision", "measures")
    form_class = AdministrativeForm

    def validate(self, user, obj, data) -> None:
        fine = data.get("fine_amount")
        if fine not in (None, "") and not str(fine).isdigit():
            raise Invalid({"fine_amount": [_("The fine must be a whole number of đồng.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        fine = data.get("fine_amount")
        AdministrativeHandling.objects.create(
            case=obj,
            recorded_by=ctx.actor,
            sanction_decision=_text(data, "sanction_decision"),
            fine_amount=int(fine) if fine not in (None, "") else None,
            measures=_text(data, "measures"),
        )
        return []


class TransferToPolice(CaseMove):
    """Đ5.4, Đ10.3: signs of crime go to the police investigation agency, with the dossier."""

    name, label, article = "transfer", gettext_lazy("Transfer to the police"), "Đ5.4, Đ10.3"
    sources, target = frozenset({S.VERIFYING, S.ADMINISTRATIVE}), S.TRANSFERRED
    actor = perm.lead_may_move
    requires = ("receiving_police_unit", "transfer_dossier")
    form_class = TransferForm

    def validate(self, user, obj, data) -> None:
        unit = data["receiving_police_unit"]
        investigators = {o.pk for o in function_holders("criminal_investigation", resolve="all")}
        if getattr(unit, "type", None) != OrganisationType.POLICE or unit.pk not in investigators:
            raise Invalid(
                {"receiving_police_unit": [_("Choose a police investigation agency to receive the dossier.")]}
            )

    def execute(self, *, obj, data, ctx) -> list[str]:
        unit = data["receiving_police_unit"]
        PoliceTransfer.objects.create(
            case=obj, recorded_by=ctx.actor, receiving_police_unit=unit, dossier=_text(data, "transfer_dossier")
        )
        CaseParticipant.objects.get_or_create(case=obj, organisation=unit)
        return []


class Investigate(CaseMove):
    """Đ6.3: the police investigation agency takes the lead; the former lead stays a participant."""

    name, label, article = "investigate", gettext_lazy("Open an investigation"), "Đ6.3"
    sources, target = frozenset({S.TRANSFERRED}), S.INVESTIGATING
    actor = perm.receiving_police_may_move

    def execute(self, *, obj, data, ctx) -> list[str]:
        unit = obj.police_transfer.receiving_police_unit
        CaseParticipant.objects.filter(case=obj, role=ParticipantRole.LEAD).update(role=ParticipantRole.PARTICIPANT)
        CaseParticipant.objects.update_or_create(case=obj, organisation=unit, defaults={"role": ParticipantRole.LEAD})
        CaseMember.objects.get_or_create(case=obj, user=ctx.actor)  # the investigator who takes it on is named
        obj.lead_organisation = unit
        return ["lead_organisation"]


class RecommendProsecution(CaseMove):
    """Đ3.4: the file goes to the People's Procuracy with a recommendation to prosecute."""

    name, label, article = "recommend", gettext_lazy("Recommend prosecution"), "Đ3.4"
    sources, target = frozenset({S.INVESTIGATING}), S.RECOMMENDED
    actor = perm.lead_may_move
    requires = ("procuracy", "recommendation_ref")
    form_class = RecommendForm

    def validate(self, user, obj, data) -> None:
        if getattr(data["procuracy"], "type", None) != OrganisationType.PROCURACY:
            raise Invalid({"procuracy": [_("Choose a People's Procuracy.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        procuracy = data["procuracy"]
        ProcuracyRecommendation.objects.create(
            case=obj, recorded_by=ctx.actor, procuracy=procuracy, reference=_text(data, "recommendation_ref")
        )
        CaseParticipant.objects.get_or_create(case=obj, organisation=procuracy)
        return []


class Close(CaseMove):
    """Close with an outcome: sanctioned only after administrative handling, prosecuted only after a
    recommendation, merged only into another case the actor may see (a hidden case is never named)."""

    name, label = "close", gettext_lazy("Close")
    sources, target = OPEN, S.CLOSED
    actor = perm.lead_may_move
    requires = ("outcome",)
    form_class = CloseForm
    # Outcomes and the states a case must have reached to close with them.
    outcome_requires: dict[str, frozenset[str]] = {
        Outcome.SANCTIONED: frozenset({S.ADMINISTRATIVE}),
        Outcome.PROSECUTED: frozenset({S.RECOMMENDED}),
    }

    def outcome_possible(self, outcome: str, status: str) -> bool:
        needed = self.outcome_requires.get(outcome)
        return needed is None or status in needed

    def validate(self, user, obj, data) -> None:
        target = data.get("merged_into")
        if isinstance(target, Case) and not perm.can(user, perm.Action.VIEW, target):
            raise Invalid({"merged_into": [_("Choose the case this one is merged into.")]})
        outcome = data["outcome"]
        if outcome not in Outcome.values:
            raise Invalid({"outcome": [_("Choose the outcome.")]})
        if not self.outcome_possible(outcome, obj.status):
            needed = self.outcome_requires[outcome]
            raise Conflict(
                _("A case can close as '%(outcome)s' only from: %(states)s.")
                % {"outcome": Outcome(outcome).label, "states": ", ".join(str(S(s).label) for s in needed)}
            )
        if outcome == Outcome.MERGED and (not isinstance(target, Case) or target.pk == obj.pk):
            raise Invalid({"merged_into": [_("Choose the case this one is merged into.")]})
        # Closing with work still open is a decision: it must be confirmed (`force`), and the open tasks
        # are then cancelled (the result of each says so), never left open on a closed case.
        still_open = open_tasks(obj)
        if still_open and not _confirmed(data.get("force")):
            raise Conflict(
                ngettext(
                    "%(n)d task is still open: %(tasks)s. To close the case anyway, confirm it: "
                    "the open task is then cancelled.",
                    "%(n)d tasks are still open: %(tasks)s. To close the case anyway, confirm it: "
                    "the open tasks are then cancelled.",
                    len(still_open),
                )
                % {"n": len(still_open), "tasks": "; ".join(f"“{t.title}”" for t in still_open)}
            )

    def execute(self, *, obj, data, ctx) -> list[str]:
        outcome = data["outcome"]
        CaseClosure.objects.create(
            case=obj,
            recorded_by=ctx.actor,
            outcome=outcome,
            note=_text(data, "outcome_note"),
            merged_into=data.get("merged_into") if outcome == Outcome.MERGED else None,
        )
        still_open = open_tasks(obj)
        if still_open:
            cancel_tasks(still_open, _("Cancelled: the case was closed before this task was done."))
            data["tasks_cancelled"] = [t.pk for t in still_open]
        # The citizen's status page shows "closed" once the case is closed (the report's own move).
        _move_reports(obj, "case_closed", ctx)
        return []


class Reopen(CaseMove):
    """A closed case comes back to verification; the closure stays as history, with why it ended."""

    name, label = "reopen", gettext_lazy("Re-open")
    sources, target = frozenset({S.CLOSED}), S.VERIFYING
    actor = perm.lead_head_or_hub_may_move
    requires = ("reason",)
    form_class = ReopenForm

    def validate(self, user, obj, data) -> None:
        if len(_text(data, "reason")) < 5:
            raise Invalid({"reason": [_("Explain why the case is re-opened.")]})

    def execute(self, *, obj, data, ctx) -> list[str]:
        CaseClosure.objects.filter(case=obj, reopened_at__isnull=True).update(
            reopened_at=timezone.now(), reopened_by=ctx.actor, reopen_reason=_text(data, "reason")
        )
        _move_reports(obj, "case_reopened", ctx)  # "being handled" again on the citizen's status page
        return []


def _record(ctx, case: Case, action: str, summary: str, data: dict) -> None:
    events.record(ctx, case, action.removeprefix("case."), summary, **data)


CASE_WORKFLOW = Workflow(
    "case",
    [
        Verify(),
        HandleAdministratively(),
        TransferToPolice(),
        Investigate(),
        RecommendProsecution(),
        Close(),
        Reopen(),
    ],
    record=_record,
)

MOVES: dict[str, Move] = CASE_WORKFLOW.moves
moves_from = CASE_WORKFLOW.moves_from
