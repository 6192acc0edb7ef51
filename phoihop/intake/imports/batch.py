"""Running an import: once per Idempotency-Key, the rows through report_submit_many, the batch recorded."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict
from phoihop.directory.models import Organisation

from ..choices import Channel
from ..models import ImportBatch
from ..services import IntakeContext, ReportInput, ReportInvalid, report_prepare, report_submit_many
from . import formats as fmt
from .formats import MAX_KEY_LENGTH, ImportRejected, ParsedRow, file_too_large
from .rows import parse_file


@dataclass
class ImportOutcome:
    body: dict[str, Any]
    replayed: bool


@dataclass
class ImportProgress:
    """Where a running import stands, told after the file is read and after each chunk of rows (the web page's
    progress): rows dealt with of all rows, how many were created, already there, or refused (by row number)."""

    rows: int
    done: int
    created: int
    existing: int
    errors: dict[int, dict[str, list[str]]]


def _check_key(key: str | None) -> str:
    key = (key or "").strip()
    if not key:
        raise ImportRejected(
            _(
                "Send an Idempotency-Key header (or a 'key' form field): a retry with the same key imports nothing "
                "twice."
            ),
            field="Idempotency-Key",
        )
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ImportRejected(
            _("The Idempotency-Key must be printable and at most %(n)d characters.") % {"n": MAX_KEY_LENGTH},
            field="Idempotency-Key",
        )
    return key


def _replay(batch: ImportBatch, sha256: str) -> ImportOutcome:
    if batch.file_sha256 != sha256:
        raise Conflict(
            _("The key '%(key)s' was already used on %(when)s for a different file. Send a new file with a new key.")
            % {"key": batch.key, "when": timezone.localtime(batch.created_at).strftime("%d/%m/%Y %H:%M")},
            code="idempotency_conflict",
        )
    return ImportOutcome(batch.result, replayed=True)


def row_fingerprint(data: ReportInput) -> str:
    """`fp:` + 32 hex digits of the SHA-256 of what a row says (text already NFC from the reader, whitespace
    collapsed, indicators sorted): the same row in a corrected, re-encoded or re-separated file has the same
    fingerprint, so it is recognised as received and never created twice."""

    def norm(value: Any) -> str:
        return " ".join(str(value or "").split())

    indicators = sorted((norm(i.kind), norm(i.value), norm(getattr(i, "bank", ""))) for i in data.indicators)
    fields = [
        norm(data.description),
        norm(data.behaviour),
        norm(data.sector),
        norm(data.area),
        norm(data.address),
        data.occurred_at.isoformat() if data.occurred_at else "",
        norm(data.on_behalf_of),
        indicators,
    ]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return "fp:" + hashlib.sha256(payload.encode()).hexdigest()[:32]


def _validation_errors(rows: list[ParsedRow]) -> None:
    """Add the service's own complaints to rows that already failed to parse, so a row lists all its faults."""
    if not rows:
        return
    ictx = IntakeContext()
    for row in rows:
        try:
            report_prepare(data=row.data, ictx=ictx)
        except ReportInvalid as exc:
            for name, messages in exc.errors.items():
                if name not in row.errors:  # the parse error says more (e.g. the unreadable date)
                    row.errors[name] = [str(m) for m in messages]


# Rows go to report_submit_many in chunks of this many: each chunk is one transaction, and the progress
# callback hears of each; a crash between chunks loses nothing (a re-run skips the rows already in).
CHUNK_ROWS = 500


def reports_import(
    *,
    organisation: Organisation,
    key: str | None,
    content: bytes,
    ctx: AuditContext,
    progress: Callable[[int, int], None] | None = None,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportOutcome:
    """Import a file of reports for `organisation`, once per key: a retry returns the stored result.

    The same key with a different file is a Conflict (409). Rows go through report_submit_many on the
    BULK channel; each row's external_ref (its own, else the fingerprint of its content) makes row-level
    replays safe even when the batch record was never written (a crash half-way), and a corrected or
    re-encoded file under a new key creates only the rows that are new. `progress(done, total)` hears of the
    good rows written (the CLI's bar); `on_progress` of every row with the counts so far (the web page).
    """
    key = _check_key(key)
    if len(content) > fmt.MAX_BYTES:
        raise file_too_large()
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch.objects.filter(organisation=organisation, key=key).first()
    if batch is not None:
        return _replay(batch, digest)

    parsed = parse_file(content)
    for row in parsed.rows:
        if not row.data.external_ref.strip():
            row.data.external_ref = row_fingerprint(row.data)
    good = [r for r in parsed.rows if not r.errors]
    bad = [r for r in parsed.rows if r.errors]
    _validation_errors(bad)
    errors = {r.row: r.errors for r in bad}
    state = ImportProgress(rows=len(parsed.rows), done=len(bad), created=0, existing=0, errors=dict(errors))
    if on_progress is not None:
        on_progress(state)
    submitted = []
    for start in range(0, len(good), CHUNK_ROWS):
        chunk = good[start : start + CHUNK_ROWS]
        outcomes = report_submit_many(rows=[r.data for r in chunk], channel=Channel.BULK, ctx=ctx)
        submitted += outcomes
        if progress is not None:
            progress(start + len(chunk), len(good))
        if on_progress is not None:
            for row, outcome in zip(chunk, outcomes, strict=True):
                if outcome.errors:
                    state.errors[row.row] = {k: [str(m) for m in v] for k, v in outcome.errors.items()}
                elif outcome.created:
                    state.created += 1
                else:
                    state.existing += 1
            state.done += len(chunk)
            on_progress(state)

    results = []
    for row, outcome in zip(good, submitted, strict=True):
        if outcome.errors:
            errors[row.row] = {k: [str(m) for m in v] for k, v in outcome.errors.items()}
        else:
            results.append({"row": row.row, "reference": outcome.reference, "created": outcome.created})
    created = sum(1 for r in results if r["created"])
    body = {
        "batch": key,
        "format": parsed.format,
        "rows": len(parsed.rows),
        "created": created,
        "existing": len(results) - created,
        "errors": [{"row": n, "errors": errors[n]} for n in sorted(errors)],
        "results": results,
        "ignored_columns": parsed.ignored_columns,
        "encoding": parsed.encoding,
    }
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                organisation=organisation,
                key=key,
                file_sha256=digest,
                created_by=ctx.actor,
                rows=len(parsed.rows),
                created_count=created,
                error_count=len(errors),
                result=body,
            )
            audit_record(
                ctx=ctx,
                action="report.import",
                obj=batch,
                summary=f"{organisation.code}: {key}",
                data={
                    "format": parsed.format,
                    "rows": len(parsed.rows),
                    "created": created,
                    "existing": body["existing"],
                    "errors": len(errors),
                    "sha256": digest,
                },
            )
    except IntegrityError:
        # A concurrent run with the same key stored its batch first; its rows and ours share references.
        batch = ImportBatch.objects.get(organisation=organisation, key=key)
        return _replay(batch, digest)
    return ImportOutcome(body, replayed=False)
