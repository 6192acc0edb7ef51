"""Every write of the intake app: receive a report, route it, match its indicators, notify.

One pipeline serves the three doors (public form, signed-in form, API) and the bulk import:
validate (prepare) -> normalise indicators -> route (rule-set data) -> persist report, indicators,
deliveries and audit event in one transaction (write) -> enqueue e-mail and escalation tasks in that same
transaction. Bad input raises ReportInvalid with a message per field and leaves nothing behind: no report,
no indicator, no file. Modules: inputs (shapes), prepare, write, evidence, submit, tracking.
"""

from .inputs import (
    CONSENT_VERSION,
    MAX_FILES,
    MAX_INDICATORS,
    REFERENCE_ALPHABET,
    ContactInput,
    IndicatorInput,
    IntakeContext,
    Prepared,
    ReportInput,
    ReportInvalid,
    Submitted,
)
from .prepare import report_prepare
from .status import report_mark_acknowledged, report_status_move, report_status_move_many
from .submit import RowResult, report_submit, report_submit_many
from .tracking import contact_reveal, report_follow_up, report_track
from .write import reference_new

__all__ = [
    "CONSENT_VERSION",
    "MAX_FILES",
    "MAX_INDICATORS",
    "REFERENCE_ALPHABET",
    "ContactInput",
    "IndicatorInput",
    "IntakeContext",
    "Prepared",
    "ReportInput",
    "ReportInvalid",
    "RowResult",
    "Submitted",
    "contact_reveal",
    "reference_new",
    "report_follow_up",
    "report_mark_acknowledged",
    "report_prepare",
    "report_status_move",
    "report_status_move_many",
    "report_submit",
    "report_submit_many",
    "report_track",
]
