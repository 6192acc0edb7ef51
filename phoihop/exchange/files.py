"""Files of requests, answers and hand-overs: checked by content like evidence (intake.uploads), stored by SHA-256.

The content is stored before the business transaction (no lock held during a write) under a name derived from
its digest, in the default storage under `exchange/`; the transaction only creates the rows. A file no row came
to reference (the transaction was refused) is removed at once by the service that stored it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.files.storage import Storage, storages
from django.utils.translation import gettext as _

from phoihop.core.errors import Invalid
from phoihop.intake.uploads import CheckedUpload, check_upload

from .models import Attachment

PREFIX = "exchange/sha256"
MAX_FILES = 20


@dataclass(frozen=True)
class StoredFile:
    """An upload stored by content: its storage name, and whether this write created it."""

    upload: CheckedUpload
    name: str
    written: bool


def storage() -> Storage:
    return storages["default"]


def check_files(files) -> list[CheckedUpload]:
    """Each upload checked by its content (type, size, no program inside); refused naming the file."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise Invalid({"files": [_("At most %(n)d files at a time.") % {"n": MAX_FILES}]})
    return [check_upload(f) for f in files]


def store_files(uploads: list[CheckedUpload]) -> list[StoredFile]:
    """Store each checked upload by its content, outside any transaction; on failure nothing is left behind."""
    backend = storage()
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            digest = upload.sha256
            name = f"{PREFIX}/{digest[:2]}/{digest[2:4]}/{digest}{upload.suffix}"
            if backend.exists(name):
                stored.append(StoredFile(upload, name, written=False))
                continue
            upload.file.seek(0)
            saved = backend.save(name, upload.file)
            stored.append(StoredFile(upload, saved, written=True))
    except BaseException:
        discard_files(stored)
        raise
    return stored


def discard_files(stored: list[StoredFile]) -> None:
    """Remove what this write stored and no attachment references (its transaction failed)."""
    written = {s.name for s in stored if s.written}
    if not written:
        return
    referenced = set(Attachment.objects.filter(file__in=written).values_list("file", flat=True))
    backend = storage()
    for name in written - referenced:
        with contextlib.suppress(OSError):
            backend.delete(name)


def open_attachment(attachment: Attachment):
    return storage().open(attachment.file, "rb")
