"""Evidence uploads: the type is read from the content (not the name), the size is capped, SHA-256 taken.

Archives (ZIP, and Word and Excel files, which are ZIPs) are looked into without extracting anything to
disk, and PDFs are scanned for scripts and actions: a file that carries a program, a decompression bomb or
a PDF that runs something when opened is refused with its name and the reason, and nothing is kept.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath
from typing import IO

import puremagic
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    "zip": ("application/zip", {".zip"}),
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


def _zip_kind(upload, name: str) -> str:
    """Word, Excel or a plain ZIP, from the names the archive holds (its content types say the same)."""
    upload.seek(0)
    try:
        names = set(zipfile.ZipFile(upload).namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRejected(_("%(name)s is a damaged archive.") % {"name": name}) from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


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
    kind = _zip_kind(upload, name) if head.startswith(b"PK\x03\x04") else _detect(head)
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
    if kind in ARCHIVE_KINDS:
        _inspect_archive(upload, name)
    elif kind == "pdf":
        _inspect_pdf(upload, name)
    digest = hashlib.sha256(head)
    upload.seek(len(head))
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        file=upload, name=name, content_type=mime, size=size, sha256=digest.hexdigest(), suffix=f".{kind}"
    )


# --- Archives: looked into in memory, never extracted ------------------------------------------------------

ARCHIVE_KINDS = {"zip", "docx", "xlsx"}
EXECUTABLE_SUFFIXES = {
    ".exe", ".dll", ".bat", ".cmd", ".com", ".scr", ".js", ".vbs", ".jar", ".msi", ".ps1", ".sh", ".apk",
}  # fmt: skip
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!")
ARCHIVE_MAX_UNPACKED = 100 * 1024 * 1024  # all members of an archive and of the archives inside it
ARCHIVE_MAX_RATIO = 100  # unpacked size / packed size, once past ARCHIVE_RATIO_FROM
ARCHIVE_RATIO_FROM = 1024 * 1024  # a small, very compressible file is no bomb
ARCHIVE_MAX_DEPTH = 2  # an archive in an archive, no deeper


def _inspect_archive(upload, name: str) -> None:
    upload.seek(0)
    _inspect_zip(upload, name, depth=1, budget=[ARCHIVE_MAX_UNPACKED])
    upload.seek(0)


def _inspect_zip(fileobj, name: str, *, depth: int, budget: list[int]) -> None:
    try:
        archive = zipfile.ZipFile(fileobj)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRejected(_("%(name)s is a damaged archive.") % {"name": name}) from exc
    packed = sum(info.compress_size for info in members)
    unpacked = sum(info.file_size for info in members)
    if unpacked > budget[0] or (unpacked > ARCHIVE_RATIO_FROM and unpacked > ARCHIVE_MAX_RATIO * max(packed, 1)):
        raise UploadRejected(
            _("%(name)s unpacks to %(size)s: too large to be checked (a compressed bomb?).")
            % {"name": name, "size": filesizeformat(unpacked)}
        )
    budget[0] -= unpacked
    for info in members:
        inner = PurePosixPath(info.filename.replace("\\", "/")).name
        if PurePosixPath(inner).suffix.lower() in EXECUTABLE_SUFFIXES:
            raise _program(name, inner)
        try:
            with archive.open(info) as member:
                start = member.read(4)
                nested = start.startswith(b"PK\x03\x04")
                rest = member.read() if nested else b""  # bounded by the declared size, checked above
        except (zipfile.BadZipFile, RuntimeError, OSError, ValueError, EOFError, zlib.error) as exc:
            # RuntimeError: a member protected by a password cannot be looked into.
            raise UploadRejected(
                _("%(name)s: %(inner)s cannot be read (damaged or protected by a password).")
                % {"name": name, "inner": inner}
            ) from exc
        if start.startswith(EXECUTABLE_MAGIC):
            raise _program(name, inner)
        if nested:
            if depth >= ARCHIVE_MAX_DEPTH:
                raise UploadRejected(
                    _("%(name)s holds archives inside archives more than %(n)d deep (%(inner)s).")
                    % {"name": name, "n": ARCHIVE_MAX_DEPTH, "inner": inner}
                )
            _inspect_zip(io.BytesIO(start + rest), name, depth=depth + 1, budget=budget)


def _program(name: str, inner: str) -> UploadRejected:
    return UploadRejected(
        _("%(name)s contains a program (%(inner)s); programs are not accepted as evidence.")
        % {"name": name, "inner": inner}
    )


# --- PDF: no scripts, no actions that launch or embed ------------------------------------------------------

# Names that make a PDF run something when opened (or carry a file that could): refused. A name may be
# written with #xx escapes (/J#61vaScript); compressed object streams (/ObjStm) are unpacked to be read.
PDF_REFUSED_NAMES = {
    b"JavaScript": gettext_lazy("JavaScript"),
    b"JS": gettext_lazy("JavaScript"),
    b"Launch": gettext_lazy("a launch action"),
    b"EmbeddedFile": gettext_lazy("an embedded file"),
    b"EmbeddedFiles": gettext_lazy("an embedded file"),
}
PDF_MAX_UNPACKED = 64 * 1024 * 1024
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def _pdf_names(data: bytes) -> set[bytes]:
    return {_PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw) for raw in _PDF_NAME.findall(data)}


def _pdf_parts(data: bytes):
    """What a PDF reader reads as objects: the file outside its streams, and each compressed object
    stream (/ObjStm, where PDF 1.5+ keeps its dictionaries) unpacked. Other streams (images, page
    content, fonts) are skipped: their bytes are data, and would match names by chance. None when
    the object streams unpack to more than can be checked."""
    left = PDF_MAX_UNPACKED
    pos = 0
    for match in _PDF_STREAM.finditer(data):
        if match.start() < pos:
            continue  # the keyword inside a stream's own data
        # The stream's dictionary is what comes between its "obj" and the keyword.
        yield data[pos : match.start()]
        head = data[max(data.rfind(b"obj", max(match.start() - 4096, pos), match.start()), pos) : match.start()]
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        pos = end + len(b"endstream")
        names = _pdf_names(head)
        if b"ObjStm" not in names or b"FlateDecode" not in names:
            continue
        try:
            unpacked = zlib.decompressobj().decompress(data[match.end() : end], left + 1)
        except zlib.error:
            continue  # an unreadable stream holds nothing a reader would run either
        left -= len(unpacked)
        if left < 0:
            yield None
            return
        yield unpacked
    yield data[pos:]


def _inspect_pdf(upload, name: str) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    chunks = []
    for part in _pdf_parts(data):
        if part is None:
            raise UploadRejected(
                _("%(name)s unpacks to more than %(size)s: too large to be checked.")
                % {"name": name, "size": filesizeformat(PDF_MAX_UNPACKED)}
            )
        chunks.append(part)
    for chunk in chunks:
        found = _pdf_names(chunk) & PDF_REFUSED_NAMES.keys()
        if found:
            reason = PDF_REFUSED_NAMES[sorted(found)[0]]
            raise UploadRejected(
                _("%(name)s contains %(what)s, which could run when the file is opened; save it without it.")
                % {"name": name, "what": reason}
            )
