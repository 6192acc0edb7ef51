"""Files kept across a redisplay of the report form, so a citizen never chooses them twice.

When the form comes back with an error, each file the citizen chose that passed the content check
(uploads.check_upload) is stored in a temporary area of the evidence storage (`held/`), and the page
carries a signed token listing them: their ids, names and sizes, bound to this browser's session and
valid for HELD_FOR. The next POST hands the token back; the files are checked by content again and
attached when the report is accepted, then removed from the temporary area. A token that was altered,
that comes from another session or that is too old is refused and nothing it names is read. A form that
is abandoned leaves files that the hourly sweep (intake.tasks.evidence_sweep_orphans) removes: no orphan
outlives HELD_FOR by more than an hour.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import evidence_storage
from .uploads import CheckedUpload

FOLDER = "held"
HELD_FOR = dt.timedelta(hours=1)
SESSION_KEY = "intake:held-binding"
_SALT = "phoihop.intake.held-files"


class HeldRefused(Exception):
    """The token cannot be used (altered, from another session, or expired): nothing it names is read."""


@dataclass(frozen=True)
class HeldFile:
    """A file kept for this session: where it is stored, and what the citizen called it."""

    id: str
    name: str
    size: int
    content_type: str
    sha256: str

    @property
    def storage_name(self) -> str:
        return f"{FOLDER}/{self.id}"

    def as_upload(self) -> UploadedFile:
        """The stored file, opened as an upload: the services check its content again and store it as evidence."""
        return UploadedFile(
            file=evidence_storage.backend.open(self.storage_name, "rb"),
            name=self.name,
            content_type=self.content_type,
            size=self.size,
        )


def _binding(request) -> str:
    """A random value kept in the session; the token carries it, so a token works only in its own session."""
    value = request.session.get(SESSION_KEY)
    if not value:
        value = secrets.token_urlsafe(18)
        request.session[SESSION_KEY] = value
    return value


def hold(request, upload: CheckedUpload) -> HeldFile:
    """Store one checked upload in the temporary area for this session."""
    _binding(request)
    held = HeldFile(
        id=secrets.token_hex(16),
        name=upload.name,
        size=upload.size,
        content_type=upload.content_type,
        sha256=upload.sha256,
    )
    upload.file.seek(0)
    stored = evidence_storage.backend.save(held.storage_name, upload.file)
    if stored != held.storage_name:  # the storage renamed it (cannot happen with a fresh random id)
        with contextlib.suppress(OSError):
            evidence_storage.backend.delete(stored)
        raise OSError("the temporary file could not be stored under its name")
    return held


def token_for(request, files: list[HeldFile]) -> str:
    """The signed token the page carries: the files' ids and names, bound to this session."""
    if not files:
        return ""
    payload = {"b": _binding(request), "f": [[f.id, f.name, f.size, f.content_type, f.sha256] for f in files]}
    return signing.dumps(payload, salt=_SALT, compress=True)


def read_token(request, token: str) -> tuple[list[HeldFile], list[HeldFile]]:
    """(kept, gone): the files a token names, if it was signed here, for this session, less than HELD_FOR ago.

    `gone` are those no longer stored (swept meanwhile): the caller asks the citizen to choose them again."""
    if not token:
        return [], []
    try:
        payload = signing.loads(token, salt=_SALT, max_age=HELD_FOR)
    except signing.SignatureExpired as exc:
        raise HeldRefused(_("The files you chose were kept for an hour only: please choose them again.")) from exc
    except signing.BadSignature as exc:
        raise HeldRefused(_("The list of files you chose was altered: please choose your files again.")) from exc
    binding = request.session.get(SESSION_KEY)
    if not binding or not isinstance(payload, dict) or payload.get("b") != binding:
        raise HeldRefused(_("The list of files comes from another browser session: please choose your files again."))
    files = [
        HeldFile(id=str(i), name=str(n), size=int(s), content_type=str(c), sha256=str(h))
        for i, n, s, c, h in payload.get("f", [])
    ]
    kept = [f for f in files if evidence_storage.backend.exists(f.storage_name)]
    return kept, [f for f in files if f not in kept]


def release(files: list[HeldFile]) -> None:
    """Remove kept files from the temporary area (the report was accepted, or the citizen removed them)."""
    storage = evidence_storage.backend
    for held in files:
        with contextlib.suppress(OSError):
            storage.delete(held.storage_name)


def held_sweep(*, older_than: dt.timedelta = HELD_FOR) -> int:
    """Delete kept files older than `older_than` (their token has expired): the abandoned forms'. How many."""
    storage = evidence_storage.backend
    try:
        _dirs, names = storage.listdir(FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) >= cutoff:
                continue
            storage.delete(path)
        except OSError:
            continue
        deleted += 1
    return deleted
