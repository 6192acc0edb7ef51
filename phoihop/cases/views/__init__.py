"""Pages of the cases app, mounted at cases/: triage of a report, the case list, the case page and its moves.

Views stay thin: forms shape the input, services and the workflow's moves write (always with
AuditContext.from_request), selectors and permissions read. Every case and report is fetched through the
permission scope, so one out of reach is a 404 that does not reveal it exists (Đ3.1, Đ17.1). Writes are
POST only; each form posts to its own URL and, sent by htmx, gets back the section it changed (and the
timeline); without JavaScript the same POST redirects back to the page (or, with errors, renders the page
with them).
"""

from .evidence import evidence_add, evidence_download, participant_remove, task_owners
from .lists import case_list, case_new
from .moves import move
from .page import case_detail
from .sections import (
    access_set,
    link_add,
    member_add,
    note_add,
    participant_add,
    reports_attach,
    secret_dossier,
    task_complete,
    task_create,
    task_reassign,
)
from .triage import triage, triage_attach, triage_close, triage_open

__all__ = [
    "access_set",
    "case_detail",
    "case_list",
    "case_new",
    "evidence_add",
    "evidence_download",
    "link_add",
    "member_add",
    "move",
    "note_add",
    "participant_add",
    "participant_remove",
    "reports_attach",
    "secret_dossier",
    "task_complete",
    "task_create",
    "task_owners",
    "task_reassign",
    "triage",
    "triage_attach",
    "triage_close",
    "triage_open",
]
