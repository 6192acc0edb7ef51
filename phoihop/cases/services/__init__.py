"""Every write of the cases app: open, attach, the workflow moves, tasks, notes, access, secrets, evidence.

Each service checks its guard and raises a domain error naming why a request is refused, changes state in
one transaction, writes an audit event on the case (its timeline) and enqueues e-mail. Modules by noun:
cases (open, attach, triage close, access, secret dossier, links, moves), participants, tasks, notes,
evidence; guards holds the refusals they share.
"""

from .cases import (
    MAX_REFERENCE_DRAWS,
    REFERENCE_ALPHABET,
    case_attach_reports,
    case_link,
    case_open,
    case_register_secret_dossier,
    case_set_access,
    case_transition,
    report_close,
)
from .evidence import MAX_FILES, add_case_evidence, case_evidence_for, case_evidence_open, referenced_evidence_files
from .notes import note_add
from .participants import case_add_member, case_add_participant, case_remove_participant, remove_participant
from .tasks import MAX_REASON, task_complete, task_create, task_owner_choices, task_reassign

__all__ = [
    "MAX_FILES",
    "MAX_REASON",
    "MAX_REFERENCE_DRAWS",
    "REFERENCE_ALPHABET",
    "add_case_evidence",
    "case_add_member",
    "case_add_participant",
    "case_attach_reports",
    "case_evidence_for",
    "case_evidence_open",
    "case_link",
    "case_open",
    "case_register_secret_dossier",
    "case_remove_participant",
    "case_set_access",
    "case_transition",
    "note_add",
    "referenced_evidence_files",
    "remove_participant",
    "report_close",
    "task_complete",
    "task_create",
    "task_owner_choices",
    "task_reassign",
]
