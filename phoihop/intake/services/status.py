"""Writes of a report's status: every one goes through the report's workflow (intake.status)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from phoihop.audit.services import AuditContext, PendingEvent, audit_record_many
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.inbox.models import Delivery

from ..choices import ReportStatus
from ..models import Report
from ..status import REPORT_WORKFLOW, ReportMove


def report_status_move(
    *, report: Report, move: str, ctx: AuditContext, data: Mapping[str, Any] | None = None
) -> Report:
    """Make one move of the report's status (checked, in one transaction, audit-logged); returns the report."""
    return REPORT_WORKFLOW.run(move, obj=report, data=data, ctx=ctx)


def report_status_move_many(
    *,
    reports: QuerySet[Report] | Iterable[Report],
    move: str,
    ctx: AuditContext,
    data: Mapping[str, Any] | None = None,
) -> int:
    """Make one move on many reports at once (a case closed with 500 reports closes them all): every
    report's status, read under a row lock, is checked against the move's sources and the actor rule is
    checked once for all; one refused refuses them all (Conflict / NotAllowed / Invalid, nothing changed).
    Then one UPDATE per set of values the move writes (usually one) and one append of the audit events.
    Returns how many reports moved."""
    step = REPORT_WORKFLOW.get(move)
    if not isinstance(step, ReportMove):
        raise TypeError(f"{move} is not a move of the report")
    data = dict(data or {})
    user = ctx.actor
    rows = reports if isinstance(reports, QuerySet) else Report.objects.filter(pk__in=[r.pk for r in reports])
    with transaction.atomic():
        # Always locked in the same order, so two bulk moves wait for each other instead of deadlocking.
        locked = list(
            rows.select_for_update(of=("self",))
            .order_by("pk")
            .only("pk", "reference", "status", "close_reason", "close_note")
        )
        if not locked:
            return 0
        for report in locked:
            if not step.possible(report):
                raise Conflict(step.conflict_message(report))
        if not step.allowed_many(user, locked):
            raise NotAllowed(step.not_allowed_message(locked[0]))
        missing = step.missing(data)
        if missing:
            raise Invalid({missing[0]: [step.missing_message(missing)]}, message=step.missing_message(missing))
        groups: dict[tuple[tuple[str, Any], ...], list[int]] = {}
        events: list[PendingEvent] = []
        action = step.audit_action or f"{REPORT_WORKFLOW.name}.move.{step.name}"
        for report in locked:
            step.validate(user, report, data)
            before = report.status
            fields = sorted(set(step.execute(obj=report, data=data, ctx=ctx) or []) - {"status"})
            groups.setdefault(tuple((f, getattr(report, f)) for f in fields), []).append(report.pk)
            audit = {"move": step.name, "before": before, "after": step.target, "article": step.article}
            events.append(
                PendingEvent(
                    action,
                    Report._meta.label_lower,
                    str(report.pk),
                    f"{report.reference}: {before} → {step.target}",
                    audit | step.audit_data(data),
                )
            )
        now = timezone.now()
        for values, pks in groups.items():
            Report.objects.filter(pk__in=pks).update(status=step.target, updated_at=now, **dict(values))
        audit_record_many(ctx=ctx, events=events)
        for report in locked:
            report.status = step.target
            step.after(obj=report, ctx=ctx)
    return len(locked)


def report_mark_acknowledged(*, delivery, at) -> None:
    """Đ3.4: a report is "acknowledged" once any organisation it was delivered to has acknowledged it.

    Registered for inbox's acknowledgement hook, inside its transaction; the second acknowledgement
    (or one of a report already in a case) changes nothing.
    """
    report = Report.objects.get(pk=delivery.report_id)
    if report.status != ReportStatus.RECEIVED:
        return
    acknowledged = Delivery.objects.select_related("acknowledged_by").get(pk=delivery.pk)
    ctx = AuditContext(actor=acknowledged.acknowledged_by)
    with contextlib.suppress(Conflict):  # another organisation's acknowledgement moved it first
        report_status_move(report=report, move="acknowledge", ctx=ctx)
