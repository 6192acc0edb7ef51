"""Every write of the reporting cycle: keyword-only arguments, an AuditContext, one transaction, an audit event."""

from .activities import activity_record
from .difficulties import DIFFICULTY_WORKFLOW, difficulty_raise
from .meetings import (
    FOLLOW_UP_WORKFLOW,
    MEETING_WORKFLOW,
    conclusion_add,
    meeting_plan,
)
from .periods import adhoc_request, period_ensure, period_for_day, schedule_for
from .reports import REPORT_WORKFLOW, report_amend, report_save, report_start

__all__ = [
    "DIFFICULTY_WORKFLOW",
    "FOLLOW_UP_WORKFLOW",
    "MEETING_WORKFLOW",
    "REPORT_WORKFLOW",
    "activity_record",
    "adhoc_request",
    "conclusion_add",
    "difficulty_raise",
    "meeting_plan",
    "period_ensure",
    "period_for_day",
    "report_amend",
    "report_save",
    "report_start",
    "schedule_for",
]
