"""Evidence uploads: the type is read from the content (not the name), the size is capped, SHA-256 taken."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import puremagic
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from phoihop.core.errors import Invalid

# Detected type -> (MIME type, extensions a file of that type may carry).
ALLOWED = {
    "jpeg": ("image/jpeg", {".jpg", ".jpeg", ".jfif"}),
    "png": ("image/png", {".png"}),
    "gif": ("image/gif", {".gif"}),
    "webp": ("image/webp", {".webp"}),
    "heic": ("image/heic", {".heic", ".heif"}),
    "pdf": ("application/pdf", {".pdf"}),
    "mp3": ("audio/mpeg", {".mp3"}),
    "m4a": ("audio/mp4", {".m4a", ".mp4", ".aac"}),
    "wav": ("audio/wav", {".wav"}),
    "ogg": ("audio/ogg", {".ogg", ".oga", ".opus"}),
    "mp4": ("video/mp4", {".mp4", ".m4v", ".mov", ".3gp"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "txt": ("text/plain", {".txt", ".log", ".csv", ".eml"}),
}
_MAGIC_TO_KIND = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jfif": "jpeg",
    ".png": "png",
    ".gif": "gif",
    ".webp": "webp",
    ".heic": "heic",
    ".heif": "heic",
    ".avif": "heic",
    ".pdf": "pdf",
    ".mp3": "mp3",
    ".m4a": "m4a",
    ".aac": "m4a",
    ".wav": "wav",
    ".ogg": "ogg",
    ".oga": "ogg",
    ".opus": "ogg",
    ".mp4": "mp4",
    ".m4v": "mp4",
    ".mov": "mp4",
    ".3gp": "mp4",
    ".docx": "docx",
    ".xlsx": "xlsx",
}
HEAD_BYTES = 8192


class UploadRejected(Invalid):
    """A file that may not be kept, with the reason for the reporter."""

    def __init__(self, message):
        super().__init__({"files": [message]}, message=message, code="upload_rejected")


@dataclass(frozen=True)
class CheckedUpload:
    file: IO[bytes]  # the uploaded file (a django.core.files.File), read again when stored
    name: str
    content_type: str
    size: int
    sha256: str
    suffix: str = ""  # from the detected type, not the name: identical content gets one stored name


def _detect(head: bytes) -> str | None:
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        matches = []
    for match in matches:
        kind = _MAGIC_TO_KIND.get((match.extension or "").lower())
        if kind:
            return kind
    # Office files are ZIP archives; their first entries name what they hold.
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
        return exc.start >= len(head) - 3
    return True


def check_upload(upload) -> CheckedUpload:
    """Accept `upload` only if its content is an allowed type that agrees with its name and size."""
    name = PurePath(upload.name or "file").name[:255]
    ext = PurePath(name).suffix.lower()
    size = upload.size
    if size == 0:
        raise UploadRejected(_("%(name)s is empty.") % {"name": name})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise UploadRejected(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    kind = _detect(head)
    if kind is None and ext in ALLOWED["txt"][1] and _looks_like_text(head):
        kind = "txt"
    if kind is None:
        raise UploadRejected(
            _("%(name)s is not an accepted kind of file (photos, PDF, audio, video, Word, Excel or text).")
            % {"name": name}
        )
    mime, extensions = ALLOWED[kind]
    if ext not in extensions:
        raise UploadRejected(
            _("The content of %(name)s is %(kind)s, which does not match its name.") % {"name": name, "kind": mime}
        )
    digest = hashlib.sha256(head)
    upload.seek(len(head))
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        file=upload, name=name, content_type=mime, size=size, sha256=digest.hexdigest(), suffix=f".{kind}"
    )
