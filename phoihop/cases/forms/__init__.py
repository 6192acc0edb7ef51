"""Forms of the cases app, by what they serve: triage, the workflow's moves, the case page's sections."""

from .common import DomainErrorsMixin, end_of_day
from .moves import (
    AdministrativeForm,
    CloseForm,
    ConfirmMoveForm,
    MoveForm,
    RecommendForm,
    ReopenForm,
    TransferForm,
)
from .page import (
    AccessForm,
    AttachReportsForm,
    EvidenceForm,
    LinkForm,
    MemberForm,
    NoteForm,
    ParticipantForm,
    RemoveParticipantForm,
    SecretDossierForm,
    TaskCompleteForm,
    TaskForm,
    TaskReassignForm,
    status_label,
)
from .triage import AttachToCaseForm, CaseNewForm, CaseOpenForm, ReportCloseForm, open_reports

__all__ = [
    "AccessForm",
    "AdministrativeForm",
    "AttachReportsForm",
    "AttachToCaseForm",
    "CaseNewForm",
    "CaseOpenForm",
    "CloseForm",
    "ConfirmMoveForm",
    "DomainErrorsMixin",
    "EvidenceForm",
    "LinkForm",
    "MemberForm",
    "MoveForm",
    "NoteForm",
    "ParticipantForm",
    "RecommendForm",
    "RemoveParticipantForm",
    "ReopenForm",
    "ReportCloseForm",
    "SecretDossierForm",
    "TaskCompleteForm",
    "TaskForm",
    "TaskReassignForm",
    "TransferForm",
    "end_of_day",
    "open_reports",
    "status_label",
]
