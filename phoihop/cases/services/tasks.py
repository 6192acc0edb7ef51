"""Tasks: asking an organisation of the case (or one of its people) to do something, completing a task with
its result and files, giving it to another person of that organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed
from phoihop.directory.models import Organisation, User
from phoihop.intake.services.evidence import evidence_kept

from ..events import notify as _notify
from ..events import record as _record
from ..models import Case, CaseMember, CaseParticipant, Task
from ..permissions import Action, can, may_assign_tasks
from .evidence import check_files, evidence_rows
from .guards import refuse_free_text_on_secret


def task_create(
    *,
    case: Case,
    title: str,
    organisation: Organisation,
    ctx: AuditContext,
    owner: User | None = None,
    due_at: dt.datetime | None = None,
) -> Task:
    """Ask a participating organisation (or one of its people) to do something by a date."""
    if not may_assign_tasks(ctx.actor, case):
        raise NotAllowed(_("Only the people of the case's organisations may create tasks."))
    refuse_free_text_on_secret(case)
    if not (title or "").strip():
        raise DomainError(_("Say what is to be done."), field="title")
    if not CaseParticipant.objects.filter(case=case, organisation=organisation).exists():
        raise Conflict(_("%(org)s does not take part in this case.") % {"org": organisation.display_name})
    _refuse_owner(owner, organisation)
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            title=title.strip()[:300],
            organisation=organisation,
            owner=owner,
            due_at=due_at,
            created_by=ctx.actor,
        )
        if owner:  # the person asked to do the work may see and work on the case
            CaseMember.objects.get_or_create(case=case, user=owner)
        _record(ctx, case, "task_create", task.title, task=task.pk, organisation=organisation.code)
        _notify(case, "task", users=[owner.pk] if owner else None)  # the owner finds it in their bell
    return task


def task_complete(*, task: Task, result: str, ctx: AuditContext, files: Iterable = ()) -> Task:
    """The organisation the task was given to reports it done, with the result and, if any, its files
    (checked and stored like the case's evidence: a bad file refuses the whole completion, nothing kept)."""
    user = ctx.actor
    if not (user and user.organisation_id == task.organisation_id and can(user, Action.WORK, task.case)):
        raise NotAllowed(_("Only the organisation the task was given to may complete it."))
    refuse_free_text_on_secret(task.case)
    if task.done_at:
        raise Conflict(_("The task is already done."))
    uploads = check_files(files, required=False)
    with evidence_kept(uploads=uploads) as stored, transaction.atomic():
        task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
        if task.done_at:  # completed (or cancelled) by someone else meanwhile
            raise Conflict(_("The task is already done."))
        task.done_at, task.result = timezone.now(), (result or "").strip()
        task.save(update_fields=["done_at", "result"])
        rows = evidence_rows(task.case, stored, user, task=task)
        _record(
            ctx,
            task.case,
            "task_complete",
            task.title,
            task=task.pk,
            files=[{"name": r.original_name, "sha256": r.sha256} for r in rows],
        )
        _notify(task.case, "task_done")
    return task


MAX_REASON = 500


def task_reassign(*, task: Task, owner: User, ctx: AuditContext, reason: str = "") -> Task:
    """Give an open task to another person of the organisation it was given to (Đ3.3: the focal point
    distributes the work), saying why if one wishes. The same people may do it as may assign a task; the new
    owner is named on the case (they may then see and work on it), is told as at a task's creation (e-mail
    through the outbox and a notice in the bell), and the previous owner is told it was taken from them."""
    if not may_assign_tasks(ctx.actor, task.case):
        raise NotAllowed(_("Only the people of the case's organisations may reassign tasks."))
    if owner is None:
        raise Invalid({"owner": [_("Choose the person the task is given to.")]})
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise Invalid({"reason": [_("Say why in at most %(n)d characters.") % {"n": MAX_REASON}]})
    if reason:
        refuse_free_text_on_secret(task.case)  # Law 29/2018: no content of a secret case on the network
    with transaction.atomic():
        # Read again under a lock: completed, cancelled or reassigned by someone else meanwhile is seen.
        # Only the task's row is locked (`of`): its owner is the nullable side of a join.
        task = (
            Task.objects.select_for_update(of=("self",)).select_related("case", "organisation", "owner").get(pk=task.pk)
        )
        if task.done_at or not task.case.is_open:
            raise Conflict(_("The task is closed (done or cancelled): it cannot be reassigned."))
        _refuse_owner(owner, task.organisation)
        if owner.pk == task.owner_id:
            raise Invalid({"owner": [_("The task is already given to this person.")]})
        previous = task.owner
        task.owner = owner
        task.save(update_fields=["owner"])
        CaseMember.objects.get_or_create(case=task.case, user=owner)  # as at creation: they may see the case
        _record(
            ctx,
            task.case,
            "task_reassign",
            f"{task.title}: {_person_name(previous)} → {_person_name(owner)}"[:200],
            task=task.pk,
            owner=owner.get_username(),
            previous_owner=previous.get_username() if previous else None,
            reason=reason,
        )
        _notify(task.case, "task_assigned", users=[owner.pk], only_users=True)
        if previous is not None:
            _notify(task.case, "task_unassigned", users=[previous.pk], only_users=True)
    return task


def _person_name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


# --- Task owners: people of the task's organisation only -------------------------------------------------


def task_owner_choices(organisation: Organisation | None):
    """The people a task given to `organisation` may be assigned to: its active staff (none without one)."""
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(organisation=organisation, is_active=True).order_by("last_name", "first_name", "pk")


def _refuse_owner(owner: User | None, organisation: Organisation) -> None:
    if owner is None:
        return
    if owner.organisation_id != organisation.pk or not owner.is_active:
        raise Invalid(
            {
                "owner": [
                    _("%(name)s is not one of the people of %(org)s: choose someone of that organisation.")
                    % {"name": owner.get_full_name() or owner.get_username(), "org": organisation.display_name}
                ]
            }
        )
