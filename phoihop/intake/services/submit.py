"""Receiving reports: one through any door (report_submit), or many from a bulk import (report_submit_many)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.directory.models import Organisation

from ..choices import Channel, IndicatorSource
from ..models import Report
from .evidence import evidence_discard, evidence_rows_create, evidence_store
from .inputs import (
    IntakeContext,
    Prepared,
    ReportInput,
    ReportInvalid,
    Submitted,
    reporter_of,
)
from .prepare import report_prepare
from .write import reports_compose, reports_remember, reports_write


def _by_own_reference(org: Organisation, refs: list[str]):
    """An organisation's reports by its own references. The `external_ref <> ''` term repeats the partial
    unique index's condition so SQLite can use that index (it cannot infer it from `external_ref IN ...`)."""
    return Report.objects.filter(reporter_organisation=org, external_ref__in=refs).exclude(external_ref="")


def _existing(org: Organisation | None, external_ref: str) -> Report | None:
    if org is None or not external_ref.strip():
        return None
    return _by_own_reference(org, [external_ref.strip()]).first()


def _same_words(text: str) -> str:
    return " ".join(text.split())


def _replayed(previous: Report, data: ReportInput) -> Submitted:
    """A report sent again under an own reference already used (an external_ref, or the API's Idempotency-Key):
    the same report again is a retry and gets the first one back; another report under that reference is
    refused, naming it, rather than answered with a report that is not the one sent (nothing is written)."""
    sent = {"".join(i.value.split()) for i in data.indicators}
    entered = previous.indicator_links.filter(source=IndicatorSource.FIELD)  # not those found in the text
    kept = {"".join(raw.split()) for raw in entered.values_list("raw", flat=True)}
    if _same_words(data.description) != _same_words(previous.description) or sent != kept:
        raise ReportInvalid(
            {
                "external_ref": [
                    _(
                        "This reference (or Idempotency-Key) was already used for report %(reference)s, which says "
                        "something else. Send that report unchanged to get it back, or use a new reference."
                    )
                    % {"reference": previous.reference}
                ]
            }
        )
    return Submitted(previous, None, created=False)


def report_submit(
    *, data: ReportInput, channel: str, ctx: AuditContext, ictx: IntakeContext | None = None
) -> Submitted:
    """Receive one report through any door. Idempotent on the organisation's own reference."""
    ictx = ictx or IntakeContext()
    _type, org = reporter_of(ctx)
    if channel == Channel.WEB and org is not None:
        channel = Channel.SIGNED_IN
    previous = _existing(org, data.external_ref)
    if previous:
        return _replayed(previous, data)
    prepared = report_prepare(data=data, ictx=ictx)
    # The rows are built and routed, and the files stored, before the transaction: no one waits on the write
    # lock for work that reads nothing from the database, or for an upload.
    composed = reports_compose([prepared], channel=channel, ctx=ctx, ictx=ictx)
    stored = evidence_store(uploads=prepared.uploads)
    try:
        with transaction.atomic():
            [submitted] = reports_write(composed, ctx=ctx)
            evidence_rows_create(report=submitted.report, stored=stored, ctx=ctx)
    except IntegrityError:
        evidence_discard(stored=stored)
        previous = _existing(org, data.external_ref)
        if previous:  # a concurrent retry with the same reference won the race
            return _replayed(previous, data)
        raise
    except BaseException:
        evidence_discard(stored=stored)  # no orphan file: the report they belonged to was rolled back
        raise
    reports_remember(composed)  # for the response, out of the transaction
    return submitted


@dataclass
class RowResult:
    row: int
    reference: str | None = None
    created: bool = False
    errors: dict[str, list[str]] = field(default_factory=dict)


def report_submit_many(
    *, rows: list[ReportInput], channel: str, ctx: AuditContext, chunk: int = 500
) -> list[RowResult]:
    """The bulk path: good rows are kept, bad rows reported one by one, replays create nothing.

    Each chunk is written with bulk inserts in one transaction (files are not taken in bulk).
    """
    ictx = IntakeContext()
    _type, org = reporter_of(ctx)
    results: list[RowResult] = [RowResult(row=i + 1) for i in range(len(rows))]
    refs = [r.external_ref.strip() for r in rows]
    existing: dict[str, str] = {}
    if org is not None and any(refs):
        wanted = [r for r in refs if r]
        for i in range(0, len(wanted), 900):
            existing.update(dict(_by_own_reference(org, wanted[i : i + 900]).values_list("external_ref", "reference")))
    todo: list[tuple[int, Prepared]] = []
    seen_refs: set[str] = set()
    for i, row in enumerate(rows):
        ref = refs[i]
        if ref and ref in existing:
            results[i].reference = existing[ref]
            continue
        if ref and ref in seen_refs:
            results[i].errors = {"external_ref": [_("The same reference appears twice in this batch.")]}
            continue
        if row.files:
            results[i].errors = {"files": [_("Files cannot be attached in a bulk import.")]}
            continue
        try:
            todo.append((i, report_prepare(data=row, ictx=ictx)))
            if ref:
                seen_refs.add(ref)
        except ReportInvalid as exc:
            results[i].errors = exc.errors
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        composed = reports_compose([p for _i, p in part], channel=channel, ctx=ctx, ictx=ictx)
        try:
            with transaction.atomic():
                written = reports_write(composed, ctx=ctx)
        except IntegrityError:
            if org is None:  # no organisation, so no own reference to collide: not a race this can settle
                raise
            # A concurrent import stored some of these references first: keep theirs, write the rest.
            taken = dict(
                _by_own_reference(org, [refs[i] for i, _p in part if refs[i]]).values_list("external_ref", "reference")
            )
            for i, _p in part:
                results[i].reference = taken.get(refs[i])
            part = [(i, p) for i, p in part if refs[i] not in taken]
            composed = reports_compose([p for _i, p in part], channel=channel, ctx=ctx, ictx=ictx)
            with transaction.atomic():
                written = reports_write(composed, ctx=ctx)
        for (i, _p), submitted in zip(part, written, strict=True):
            results[i].reference = submitted.report.reference
            results[i].created = True
    return results
