"""`phoihop import-reports FILE --org CODE [--key K]`: an operator imports a file for an organisation.

The import acts as the organisation's API account (created when its first key was issued), through the
same code as POST /api/v1/reports/import/, so the result and the idempotency are the same. Without
--key the file's SHA-256 is the key: running the same file twice imports it once. On a terminal a
progress bar shows the rows written; the command exits 1 when any row failed (the others are kept).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.services import AuditContext, operator_label
from phoihop.core.errors import DomainError
from phoihop.directory.models import Organisation, User
from phoihop.intake import imports


class Command(BaseCommand):
    help = "Import a CSV, XLSX or JSON file of reports for an organisation (see the API docs for the format)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="organisation code, e.g. st-viettel")
        parser.add_argument("--key", help="idempotency key (default: derived from the file's content)")

    def handle(self, *args, file: Path, org: str, key: str | None, **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"unknown organisation '{org}'")
        account = User.objects.filter(username=f"api@{organisation.code}", organisation=organisation).first()
        if account is None or not account.is_active:
            raise CommandError(
                f"{organisation.code} has no API account: issue it a key first (phoihop issue-api-token --org {org})"
            )
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        key = key or f"file:{hashlib.sha256(content).hexdigest()[:32]}"
        ctx = AuditContext(actor=account, label=operator_label("import-reports"))
        try:
            outcome = imports.reports_import(
                organisation=organisation, key=key, content=content, ctx=ctx, progress=self._progress()
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self._summary(outcome)
        if outcome.body["errors"]:
            raise CommandError(f"{len(outcome.body['errors'])} rows were not imported (see above)", returncode=1)

    def _progress(self):
        """A progress bar on stderr when it is a terminal (a log file or a pipe gets only the summary)."""
        if not sys.stderr.isatty():
            return None

        def show(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return show

    def _summary(self, outcome: imports.ImportOutcome) -> None:
        body = outcome.body
        if outcome.replayed:
            self.stdout.write(f"key {body['batch']} was imported before: showing that result, nothing imported")
        lines = [
            (r["row"], f"row {r['row']}: {'created' if r['created'] else 'existing'} {r['reference']}")
            for r in body["results"]
        ]
        for e in body["errors"]:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in e["errors"].items())
            lines.append((e["row"], f"row {e['row']}: ERROR {problems}"))
        for _row, line in sorted(lines):
            self.stdout.write(line)
        if body.get("ignored_columns"):
            self.stdout.write(f"ignored columns: {', '.join(body['ignored_columns'])}")
        self.stdout.write(
            f"{body['rows']} rows ({body['format']}): {body['created']} created, {body['existing']} existing, "
            f"{len(body['errors'])} with errors (key {body['batch']})"
            + (f", read as {body['encoding']}" if body.get("encoding") else "")
        )
