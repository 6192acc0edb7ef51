"""Evidence files of a report."""

from __future__ import annotations

import contextlib
import secrets

from phoihop.audit.services import AuditContext

from ..models import Evidence, Report
from ..uploads import CheckedUpload


def save_files(report: Report, uploads: list[CheckedUpload], ctx: AuditContext, saved: list) -> None:
    for up in uploads:
        ev = Evidence(
            report=report,
            original_name=up.name,
            content_type=up.content_type,
            size=up.size,
            sha256=up.sha256,
            uploaded_by=ctx.actor if getattr(ctx.actor, "pk", None) else None,
        )
        ev.file.save(f"{report.reference}-{secrets.token_hex(4)}{_suffix(up.name)}", up.file, save=False)
        saved.append(ev.file)
        ev.save()


def _suffix(name: str) -> str:
    from pathlib import PurePath

    return PurePath(name).suffix.lower()[:10]


def delete_files(saved: list) -> None:
    for f in saved:
        with contextlib.suppress(OSError):
            f.storage.delete(f.name)
