"""Files of advisories and images of warnings: checked by their content (intake's upload checks), capped.

Each is read into memory once checked and written with its row in the caller's transaction, so a refused
or failed write leaves neither a row nor a file behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from phoihop.core.errors import Invalid
from phoihop.intake.uploads import check_upload

MAX_FILES = 10
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def max_bytes() -> int:
    return int(getattr(settings, "PHOIHOP_ALERT_FILE_MAX_BYTES", 5 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes

    def row_fields(self) -> dict:
        return {
            "name": self.name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "data": self.data,
        }


def check_files(uploads, *, field: str = "files", images_only: bool = False) -> list[CheckedFile]:
    """Every upload checked by content (type agreeing with the name, no program, no script in a PDF), or
    Invalid naming `field` and the file; nothing is kept of a refused set."""
    uploads = [u for u in (uploads or []) if u is not None]
    if len(uploads) > MAX_FILES:
        raise Invalid({field: [_("At most %(n)d files may be attached.") % {"n": MAX_FILES}]})
    out: list[CheckedFile] = []
    for upload in uploads:
        if upload.size > max_bytes():
            raise Invalid(
                {
                    field: [
                        _("%(name)s is %(size)s; the limit is %(limit)s.")
                        % {
                            "name": upload.name,
                            "size": filesizeformat(upload.size),
                            "limit": filesizeformat(max_bytes()),
                        }
                    ]
                }
            )
        try:
            checked = check_upload(upload)
        except Invalid as exc:
            raise Invalid({field: [str(exc.message)]}) from exc
        if images_only and checked.content_type not in IMAGE_TYPES:
            raise Invalid({field: [_("%(name)s is not a photo (JPEG, PNG, GIF or WebP).") % {"name": checked.name}]})
        checked.file.seek(0)
        data = checked.file.read()
        out.append(CheckedFile(checked.name, checked.content_type, checked.size, checked.sha256, data))
    return out
