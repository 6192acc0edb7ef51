"""HTML pages of the intake app: public (report forms, receipt, tracking) and staff (inbox, report page)."""

from .public import behaviour_options, new_report, public_report, receipt, track
from .staff import acknowledge, detail, evidence_download, my_reports, reveal_contact
from .triage import inbox, inbox_acknowledge

__all__ = [
    "acknowledge",
    "behaviour_options",
    "detail",
    "evidence_download",
    "inbox",
    "inbox_acknowledge",
    "my_reports",
    "new_report",
    "public_report",
    "receipt",
    "reveal_contact",
    "track",
]
