"""Evidence files of a report, stored by content before the report's transaction and linked inside it.

Writing a file of up to EVIDENCE_MAX_BYTES while the database write lock (SQLite) and the audit chain head
are held would make every other submission wait for an upload. So the content is stored first, under a
name derived from its SHA-256 (identical content is stored once), and the transaction only creates the
rows. A file that no row came to reference (the transaction failed) is removed at once by the submission,
or, after a crash, by the hourly sweep (intake.tasks.evidence_sweep_orphans).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import Storage
from django.utils import timezone

from phoihop.audit.services import AuditContext
from phoihop.core.registry import run_hook

from ..models import Evidence, Report, evidence_storage
from ..uploads import CheckedUpload

PREFIX = "sha256"
TEMP_PREFIX = ".part-"
ORPHAN_AGE = dt.timedelta(hours=1)  # older than any submission still in flight
# Higher apps that keep files in this storage (cases: evidence on a case) register a handler
# `handler(names=[...]) -> set of the names they reference`, so the discard and the sweep keep those files.
EVIDENCE_REFERENCES_HOOK = "evidence_references"


def _referenced(names) -> set[str]:
    names = list(names)
    found = set(Evidence.objects.filter(file__in=names).values_list("file", flat=True))
    for more in run_hook(EVIDENCE_REFERENCES_HOOK, names=names):
        found |= set(more or ())
    return found


@dataclass(frozen=True)
class StoredFile:
    """An upload stored by content: its storage name, and whether this submission wrote it."""

    upload: CheckedUpload
    name: str
    written: bool


def evidence_name(upload: CheckedUpload) -> str:
    """sha256/ab/cd/<hash><suffix>: the name follows from the content (and its detected type)."""
    digest = upload.sha256
    return f"{PREFIX}/{digest[:2]}/{digest[2:4]}/{digest}{upload.suffix}"


def _local_path(storage: Storage, name: str) -> str | None:
    try:
        return storage.path(name)
    except NotImplementedError:  # object storage: no local path, and a put is atomic there
        return None


def _write_atomically(upload: CheckedUpload, path: str) -> None:
    """Write to a temporary file in the same folder, fsync, then rename: a reader never sees half a file."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            upload.file.seek(0)
            for chunk in iter(lambda: upload.file.read(1024 * 1024), b""):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)  # a concurrent writer of the same content renames identical bytes
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut once the folder is synced
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _store_one(storage: Storage, upload: CheckedUpload) -> StoredFile:
    name = evidence_name(upload)
    path = _local_path(storage, name)
    if path is None:
        if storage.exists(name):
            return StoredFile(upload, name, written=False)
        upload.file.seek(0)
        return StoredFile(upload, storage.save(name, upload.file), written=True)
    if os.path.exists(path):
        # Already stored for another report: refresh its time so the sweep cannot take it meanwhile.
        with contextlib.suppress(OSError):
            os.utime(path)
            return StoredFile(upload, name, written=False)
    _write_atomically(upload, path)
    return StoredFile(upload, name, written=True)


def evidence_store(*, uploads: list[CheckedUpload]) -> list[StoredFile]:
    """Store each upload by its content, outside any transaction; on failure nothing written is left."""
    storage = evidence_storage.backend
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            stored.append(_store_one(storage, upload))
    except BaseException:
        evidence_discard(stored=stored)
        raise
    return stored


def evidence_stored_rows(model, stored: list[StoredFile], **fields) -> list:
    """Rows of `model` (a report's Evidence, a file on a case...) for files stored by content: each row's storage
    name, original name, type, size and SHA-256 from its upload, `fields` alike on every row. Bulk-created in
    the caller's transaction."""
    rows = [
        model(
            file=s.name,
            original_name=s.upload.name,
            content_type=s.upload.content_type,
            size=s.upload.size,
            sha256=s.upload.sha256,
            **fields,
        )
        for s in stored
    ]
    return model.objects.bulk_create(rows)


def evidence_rows_create(*, report: Report, stored: list[StoredFile], ctx: AuditContext) -> list[Evidence]:
    """The Evidence rows of a report's stored files; the caller holds the report's transaction."""
    uploaded_by = ctx.actor if getattr(ctx.actor, "pk", None) else None
    return evidence_stored_rows(Evidence, stored, report=report, uploaded_by=uploaded_by)


@contextlib.contextmanager
def evidence_kept(*, uploads: list[CheckedUpload]) -> Iterator[list[StoredFile]]:
    """Store the uploads by content before the caller's transaction (no lock is held while a file is written)
    and give what was stored to the block, which writes the rows; if the block fails, the files this upload
    wrote that no row references are removed at once (after a crash, the hourly sweep does)."""
    stored = evidence_store(uploads=uploads) if uploads else []
    try:
        yield stored
    except BaseException:
        evidence_discard(stored=stored)
        raise


def evidence_discard(*, stored: list[StoredFile]) -> None:
    """Remove the files this submission wrote that no Evidence row references (its transaction failed)."""
    written = {s.name for s in stored if s.written}
    if not written:
        return
    referenced = _referenced(written)
    storage = evidence_storage.backend
    for name in written - referenced:
        with contextlib.suppress(OSError):
            storage.delete(name)


def _walk(storage: Storage, folder: str = ""):
    dirs, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def evidence_orphans_delete(*, older_than: dt.timedelta = ORPHAN_AGE, batch: int = 500) -> int:
    """Delete stored files older than `older_than` that no Evidence row references; return how many."""
    storage = evidence_storage.backend
    cutoff = timezone.now() - older_than
    deleted = 0
    try:
        names = list(_walk(storage))
    except FileNotFoundError:  # nothing was ever stored
        return 0
    for start in range(0, len(names), batch):
        part = names[start : start + batch]
        referenced = _referenced(part)
        for name in part:
            if name in referenced:
                continue
            try:
                if storage.get_modified_time(name) >= cutoff:
                    continue  # perhaps a submission still in flight
                storage.delete(name)
            except OSError:
                continue
            deleted += 1
    return deleted


def next_sweep() -> dt.datetime:
    """When the sweep runs next: an hour from now."""
    return timezone.now() + ORPHAN_AGE
