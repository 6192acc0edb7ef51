"""The organisations taking part in a case and the people named on it: adding them, removing an organisation."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.directory.models import Organisation, User

from ..events import notify as _notify
from ..events import record as _record
from ..models import Case, CaseMember, CaseParticipant, Task
from ..permissions import Action, can, may_name_person
from ..task_ends import cancel_tasks


def case_add_participant(*, case: Case, organisation: Organisation, ctx: AuditContext) -> None:
    """Bring another organisation into the case (e.g. a carrier to verify a subscriber, Đ11.8)."""
    if not can(ctx.actor, Action.MANAGE, case):
        raise NotAllowed(_("Only the lead organisation's focal point or head may add participants."))
    with transaction.atomic():
        _participant, created = CaseParticipant.objects.get_or_create(case=case, organisation=organisation)
        if created:
            _record(ctx, case, "participant_add", organisation.display_name, organisation=organisation.code)
            _notify(case, "participant")


def case_add_member(*, case: Case, user: User, ctx: AuditContext) -> None:
    """Name a person on the case (assigned officer); the person's organisation must take part."""
    if not may_name_person(ctx.actor, case, user):
        raise NotAllowed(_("You may only assign people of your organisation to a case it takes part in."))
    if (
        user.organisation_id is None
        or not CaseParticipant.objects.filter(case=case, organisation_id=user.organisation_id).exists()
    ):
        raise Conflict(_("%(name)s's organisation does not take part in this case.") % {"name": user.get_full_name()})
    with transaction.atomic():
        _member, created = CaseMember.objects.get_or_create(case=case, user=user)
        if created:
            _record(ctx, case, "member_add", user.get_username(), user=user.get_username())


# --- Participants: removing one -------------------------------------------------------------------------------


def remove_participant(*, case: Case, organisation: Organisation, reason: str, ctx: AuditContext) -> dict:
    """Đ3.1, Đ17.1 (need to know): the lead takes an organisation off the case, saying why.

    The lead organisation cannot be removed. The organisation's people named on the case are un-named (they
    were named because it took part), its open tasks are cancelled (no one of it could complete them any
    more); from then on it sees the case only on other grounds (a hub sees every unrestricted case, Đ5.2).
    Returns what was done: {"members": [usernames], "tasks": [titles]}."""
    if not can(ctx.actor, Action.MANAGE, case):
        raise NotAllowed(_("Only the lead organisation's focal point or head may remove participants."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise Invalid({"reason": [_("Say why the organisation is removed (at least 5 characters).")]})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if organisation.pk == case.lead_organisation_id:
            raise Conflict(_("%(org)s leads the case and cannot be removed.") % {"org": organisation.display_name})
        participant = CaseParticipant.objects.filter(case=case, organisation=organisation).first()
        if participant is None:
            raise Conflict(_("%(org)s does not take part in this case.") % {"org": organisation.display_name})
        members = list(CaseMember.objects.filter(case=case, user__organisation=organisation).select_related("user"))
        open_tasks = list(Task.objects.filter(case=case, organisation=organisation, done_at__isnull=True))
        cancel_tasks(
            open_tasks,
            _("Cancelled: %(org)s was removed from the case (%(reason)s).")
            % {"org": organisation.display_name, "reason": reason},
        )
        CaseMember.objects.filter(pk__in=[m.pk for m in members]).delete()
        participant.delete()
        done = {"members": [m.user.get_username() for m in members], "tasks": [t.title for t in open_tasks]}
        _record(
            ctx,
            case,
            "participant_remove",
            f"{organisation.display_name}: {reason}"[:200],
            organisation=organisation.code,
            reason=reason,
            members_removed=done["members"],
            tasks_cancelled=[t.pk for t in open_tasks],
        )
        _notify(case, "participant_remove")
    return done


case_remove_participant = remove_participant
