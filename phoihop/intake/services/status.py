"""Writes of a report's status: every one goes through the report's workflow (intake.status)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict
from phoihop.inbox.models import Delivery

from ..choices import ReportStatus
from ..models import Report
from ..status import REPORT_WORKFLOW


def report_status_move(
    *, report: Report, move: str, ctx: AuditContext, data: Mapping[str, Any] | None = None
) -> Report:
    """Make one move of the report's status (checked, in one transaction, audit-logged); returns the report."""
    return REPORT_WORKFLOW.run(move, obj=report, data=data, ctx=ctx)


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
