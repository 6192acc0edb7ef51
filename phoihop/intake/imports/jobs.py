"""Imports from the web page (Đ11.5): the file is read strictly at once, then imported by the worker with progress.

The same code as the CLI and the API (batch.reports_import): the key is the file's SHA-256, so sending the same
file twice imports it once, and each row's fingerprint keeps a corrected file from duplicating what came in.
A file that cannot be read (an unclosed quote, a row of the wrong width, an unreadable encoding) is refused
when it is sent, naming the line, before any row is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import DomainError, NotAllowed
from phoihop.directory.choices import Role

from ..models import ImportBatch, ImportJob
from .batch import ImportProgress, reports_import
from .formats import MAX_BYTES, file_too_large
from .rows import read_records

logger = logging.getLogger(__name__)


def may_import(user) -> bool:
    """An active person of an organisation who reports (the system administrator manages people, not reports)."""
    return bool(
        user and user.is_authenticated and user.is_active and user.organisation_id and user.role != Role.SYSADMIN
    )


class ImportJobPolicy:
    """A person sees the web imports of their own organisation; anyone of an organisation may import for it."""

    def scope(self, user, qs: QuerySet[ImportJob], action: str = "view") -> QuerySet[ImportJob]:
        if not may_import(user):
            return qs.none()
        return qs.filter(organisation_id=user.organisation_id)

    def can(self, user, action: str, job: ImportJob) -> bool:
        return may_import(user) and job.organisation_id == user.organisation_id


def web_key(digest: str) -> str:
    return f"web:{digest[:32]}"


def import_job_create(*, user, file_name: str, content: bytes, ctx: AuditContext) -> ImportJob:
    """Check the file strictly (ImportRejected names the line), record the job and queue it for the worker."""
    if not may_import(user):
        raise NotAllowed(_("Only a member of an organisation can import reports for it."))
    if len(content) > MAX_BYTES:
        raise file_too_large()
    file_format, records, _ignored, _encoding = read_records(content)  # ImportRejected before anything is written
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        job = ImportJob.objects.create(
            organisation_id=user.organisation_id,
            created_by=user,
            file_name=file_name[:255],
            file_sha256=digest,
            content=content,
            rows_total=len(records),
        )
        audit_record(
            ctx=ctx,
            action="report.import_queued",
            obj=job,
            summary=f"{job.file_name}: {len(records)}",
            data={"format": file_format, "rows": len(records), "sha256": digest},
        )
        import_job_run.enqueue(job.pk)
    return job


def _save_progress(job: ImportJob, state: ImportProgress) -> None:
    job.rows_total, job.rows_done = state.rows, state.done
    job.created_count, job.existing_count, job.error_count = state.created, state.existing, len(state.errors)
    job.errors = [{"row": n, "errors": state.errors[n]} for n in sorted(state.errors)]
    ImportJob.objects.filter(pk=job.pk).update(
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        created_count=job.created_count,
        existing_count=job.existing_count,
        error_count=job.error_count,
        errors=job.errors,
    )


def import_job_execute(job_id: int) -> str:
    """Run one queued job (the worker calls this through intake.tasks.import_job_run); return its final status."""
    job = ImportJob.objects.select_related("organisation", "created_by").filter(pk=job_id).first()
    if job is None or job.finished:
        return job.status if job else "missing"
    job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    ctx = AuditContext(actor=job.created_by)
    key = web_key(job.file_sha256)
    try:
        outcome = reports_import(
            organisation=job.organisation,
            key=key,
            content=bytes(job.content),
            ctx=ctx,
            on_progress=lambda state: _save_progress(job, state),
        )
    except DomainError as exc:  # refused as a whole (the file changed meaning, a key conflict): nothing written
        job.status, job.message = ImportJob.Status.REFUSED, str(exc.message)
    except Exception:  # a bug or an outage: rows written so far are kept, a new run of the file skips them
        logger.exception("intake: web import %s stopped", job.pk)
        job.status = ImportJob.Status.FAILED
        job.message = _(
            "The import stopped on an unexpected error. The rows written so far are kept: send the file again to "
            "import the rest (nothing is imported twice)."
        )
    else:
        body = outcome.body
        job.status, job.replayed = ImportJob.Status.DONE, outcome.replayed
        job.rows_total = job.rows_done = body["rows"]
        job.created_count, job.existing_count = body["created"], body["existing"]
        job.errors, job.error_count = body["errors"], len(body["errors"])
        job.batch = ImportBatch.objects.filter(organisation=job.organisation, key=key).first()
    job.content, job.finished_at = b"", timezone.now()
    job.save()
    return job.status


@task()
def import_job_run(job_id: int) -> str:
    """The worker's entry: import a file sent on the import page, saving its progress after each chunk of rows."""
    return import_job_execute(job_id)


def import_job_errors_csv(job: ImportJob) -> str:
    """The rows refused, one line per problem: row, field, message (UTF-8 with a BOM, for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("Field"), _("Problem")])
    for item in job.errors:
        for field, messages in item["errors"].items():
            for message in messages:
                writer.writerow([item["row"], field, message])
    return "\ufeff" + out.getvalue()
