"""`phoihop backup FILE`: one archive (tar, gzip) of the database, evidence files, keys and a manifest.

Safe while the app runs and writes (see phoihop/site/backup.py); docs/operations.md says how often and
where to keep the archives, and why the keys inside them must be kept apart.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.services import AuditContext, operator_label
from phoihop.core.errors import DomainError
from phoihop.site.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database, the evidence files and the keys into one archive (tar.gz, mode 0600)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to write, e.g. /backups/phoihop-2026-11-30.tar.gz")

    def handle(self, *args, file: Path, **options):
        ctx = AuditContext(label=operator_label("backup"))
        try:
            result = backup_create(path=file, ctx=ctx)
        except DomainError as exc:
            raise CommandError(str(exc.message), returncode=exc.exit_code) from exc
        manifest = result.manifest
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in manifest["counts"].items())
        self.stdout.write(f"backup written to {result.path} (mode 0600, SHA-256 {result.sha256})")
        self.stdout.write(f"database ({manifest['database']['vendor']}): {counts}")
        evidence = manifest["evidence"]
        if evidence["copied"]:
            self.stdout.write(f"evidence files: {evidence['files']}")
        keys = [name for name, where in manifest["keys"].items() if where == "file"]
        self.stdout.write(f"keys: {', '.join(keys) or 'none'}  (keep this archive as safe as the keys themselves)")
        for name in result.skipped:
            self.stdout.write(f"skipped {name}: removed while the backup ran")
        for note in manifest["notes"]:
            self.stdout.write(self.style.WARNING(f"note: {note}"))
