"""What every write of the cases app leaves behind: an audit event on the case (its timeline) and e-mail."""

from __future__ import annotations

from phoihop.audit.services import AuditContext, audit_record

from .models import Case


def record(ctx: AuditContext, case: Case, action: str, summary: str = "", **data) -> None:
    """An event on the case's timeline (`case.<action>`), in the audit chain."""
    audit_record(ctx=ctx, action=f"case.{action}", obj=case, summary=summary or case.reference, data=data)


def notify(case: Case, event: str) -> None:
    """E-mail the case's organisations about `event` (a background task)."""
    from .tasks import notify_case_event

    notify_case_event.enqueue(case_id=case.pk, event=event)
