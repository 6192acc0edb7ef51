"""What every write of the cases app leaves behind: an audit event on the case (its timeline) and e-mail."""

from __future__ import annotations

import uuid

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.registry import run_hook

from .models import Case

# Run after every recorded change of a case, in its transaction (dashboards: the counts of what restricted cases hide).
CASE_CHANGED_HOOK = "cases.case_changed"


def record(ctx: AuditContext, case: Case, action: str, summary: str = "", **data) -> None:
    """An event on the case's timeline (`case.<action>`), in the audit chain."""
    audit_record(ctx=ctx, action=f"case.{action}", obj=case, summary=summary or case.reference, data=data)
    run_hook(CASE_CHANGED_HOOK, case=case)


def notify(case: Case, event: str, *, users: list[int] | None = None, only_users: bool = False) -> None:
    """Tell the case's organisations (and `users`, e.g. a task's owner; with `only_users`, those people alone)
    about `event`: e-mail through the outbox and in-app notices, written by a background task queued in the
    caller's transaction. The key is drawn now, so a retried task writes the same message once."""
    from .tasks import notify_case_event

    key = f"case:{case.pk}:{event}:{uuid.uuid4().hex}"
    kwargs: dict = {"only_users": True} if only_users else {}  # tasks queued before the option still run
    notify_case_event.enqueue(case_id=case.pk, event=event, key=key, user_ids=list(users or []), **kwargs)
