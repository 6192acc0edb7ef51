"""Files on a case and on its tasks' results: added, listed, opened for download, and named to the sweep."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict, Invalid, NotAllowed, Unavailable
from phoihop.directory.models import User
from phoihop.intake.services.evidence import StoredFile, evidence_kept, evidence_stored_rows
from phoihop.intake.uploads import CheckedUpload, check_upload

from ..events import notify as _notify
from ..events import record as _record
from ..models import EVIDENCE_FILES_AT_ONCE, Case, CaseEvidence, Task
from ..permissions import Action, can
from .guards import refuse_free_text_on_secret

# Checked by content (intake.uploads: type from the bytes, size limit, no program, no active PDF), stored by
# SHA-256 in the evidence storage before the transaction (intake.services.evidence: temp file, fsync, rename),
# then the rows are written in one transaction with the audit event. A refusal after the files were stored
# removes what this upload wrote; after a crash the hourly orphan sweep does (the cases app tells it which
# files its rows reference, EVIDENCE_REFERENCES_HOOK).

MAX_FILES = EVIDENCE_FILES_AT_ONCE


def check_files(files: Iterable, *, required: bool) -> list[CheckedUpload]:
    files = [f for f in (files or []) if f is not None]
    if not files and required:
        raise Invalid({"files": [_("Choose at least one file.")]})
    if len(files) > MAX_FILES:
        raise Invalid({"files": [_("At most %(n)d files at a time.") % {"n": MAX_FILES}]})
    return [check_upload(f) for f in files]  # UploadRejected (Invalid) names the file and why


def evidence_rows(case: Case, stored: list[StoredFile], user: User, *, task: Task | None = None) -> list[CaseEvidence]:
    return evidence_stored_rows(CaseEvidence, stored, case=case, task=task, uploaded_by=user)


def add_case_evidence(
    *, case: Case, files: Iterable, ctx: AuditContext, task: Task | None = None
) -> list[CaseEvidence]:
    """Đ11.8, Đ17.1: people of the case's organisations (lead or participating) add files to the case, or
    to one of its tasks; each is checked by its content and shown with its SHA-256. A bad file refuses the
    whole upload naming the file (Invalid, field "files"); nothing is saved and no file is left behind."""
    user = ctx.actor
    if not can(user, Action.WORK, case):
        raise NotAllowed(_("Only the people of the case's organisations may add evidence."))
    refuse_free_text_on_secret(case)  # Law 29/2018: no content of a secret case on the network
    if not case.is_open:
        raise Conflict(_("The case is closed; re-open it to add evidence."))
    if task is not None and task.case_id != case.pk:
        raise Invalid({"task": [_("That task is not one of this case's.")]})
    uploads = check_files(files, required=True)
    # Stored outside the transaction (no lock held while writing); a refusal inside removes what it wrote.
    with evidence_kept(uploads=uploads) as stored, transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)  # a close meanwhile waits, or is seen
        if not locked.is_open:
            raise Conflict(_("The case is closed; re-open it to add evidence."))
        rows = evidence_rows(case, stored, user, task=task)
        _record(
            ctx,
            case,
            "evidence_add",
            ", ".join(r.original_name for r in rows)[:200],
            task=task.pk if task else None,
            files=[{"name": r.original_name, "sha256": r.sha256, "size": r.size} for r in rows],
        )
        _notify(case, "evidence")
    return rows


def case_evidence_for(user, case: Case, evidence_id: int) -> CaseEvidence | None:
    """One file of a case the user may see (the case itself fetched through the scope): None otherwise."""
    if not can(user, Action.VIEW, case):
        return None
    return CaseEvidence.objects.filter(case=case, pk=evidence_id).select_related("task").first()


def case_evidence_open(*, evidence: CaseEvidence, ctx: AuditContext):
    """Open a file of a case for download, after checking the reader may see the case (need-to-know on a
    restricted case); every download is recorded on the case's timeline (who, which file, from where)."""
    case = evidence.case
    if not can(ctx.actor, Action.VIEW, case):
        raise NotAllowed(_("You may not see this case's files."))
    from phoihop.intake.models import evidence_storage

    try:
        handle = evidence_storage.open(evidence.file, "rb")
    except OSError as exc:
        raise Unavailable(_("The file cannot be read now; try again later.")) from exc
    _record(
        ctx,
        case,
        "evidence_download",
        evidence.original_name,
        evidence=evidence.pk,
        sha256=evidence.sha256,
    )
    return handle


def referenced_evidence_files(*, names) -> set[str]:
    """EVIDENCE_REFERENCES_HOOK: which of these stored names a case's file references (kept by the sweep)."""
    return set(CaseEvidence.objects.filter(file__in=list(names)).values_list("file", flat=True))
