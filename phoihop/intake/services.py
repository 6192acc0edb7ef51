"""Every write of the intake app: receive a report, route it, match its indicators, notify.

One pipeline serves the three doors (public form, signed-in form, API) and the bulk import:
validate -> normalise indicators -> route (rule-set data) -> persist report, indicators, deliveries and
audit event in one transaction -> enqueue e-mail and escalation tasks in that same transaction.
Bad input raises ReportInvalid with a message per field and leaves nothing behind: no report, no
indicator, no file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, PendingEvent, audit_record, audit_record_many
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.core.text import fold
from phoihop.directory.models import AdministrativeUnit, Organisation
from phoihop.inbox.models import Delivery
from phoihop.inbox.services import deliveries_enqueue_notifications
from phoihop.indicators import normalise as ind
from phoihop.indicators.services import indicator_count_reports, indicator_upsert_many
from phoihop.routing.engine import Router, RoutingInput
from phoihop.taxonomy.models import Behaviour, Sector

from .choices import Channel, IndicatorSource, ReporterType, ReportStatus
from .models import Evidence, Report, ReporterContact, ReportIndicator
from .permissions import Action, can
from .uploads import CheckedUpload, UploadRejected, check_upload

CONSENT_VERSION = "2026-01"  # the notice under the Personal Data Protection Law 91/2025
MAX_INDICATORS = 50
MAX_FILES = 10
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone


class ReportInvalid(Invalid):
    """The report cannot be accepted; `errors` maps each field to its messages."""


@dataclass
class IndicatorInput:
    kind: str
    value: str
    bank: str | None = None


@dataclass
class ContactInput:
    name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False

    @property
    def given(self) -> bool:
        return bool(self.name.strip() or self.phone.strip() or self.email.strip())


@dataclass
class ReportInput:
    """What a report says, whichever door it came through."""

    description: str
    behaviour: str | None = None  # a behaviour code; None = "not sure"
    sector: str | None = None
    area: str | None = None  # an area code
    address: str = ""
    occurred_at: dt.datetime | None = None
    indicators: list[IndicatorInput] = field(default_factory=list)
    contact: ContactInput | None = None
    on_behalf_of: str = ""
    external_ref: str = ""
    files: list[Any] = field(default_factory=list)


@dataclass
class Submitted:
    report: Report
    secret: str | None  # shown once to a public reporter; None for a replayed idempotent submission
    created: bool = True


@dataclass
class Prepared:
    """A validated report, ready to be written: everything resolved, nothing saved yet."""

    data: ReportInput
    behaviour: Behaviour | None
    sector: Sector | None
    area: AdministrativeUnit | None
    indicators: list[tuple[ind.Indicator, str]]  # (indicator, source)
    uploads: list[CheckedUpload]


class IntakeContext:
    """Reference data for a run of submissions (one request, or one bulk batch): loaded once."""

    def __init__(self, day: dt.date | None = None):
        self.router = Router(day=day)
        self.behaviours = {b.code: b for b in Behaviour.objects.filter(is_active=True).select_related("sector")}
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self._areas: dict[str, AdministrativeUnit | None] = {}

    def area(self, code: str) -> AdministrativeUnit | None:
        if code not in self._areas:
            self._areas[code] = AdministrativeUnit.objects.filter(code=code).select_related("parent").first()
        return self._areas[code]


def _reporter(ctx: AuditContext) -> tuple[str, Organisation | None]:
    """Who is reporting: the public, an enterprise (Đ11.5) or an agency (Đ3.4, Đ10.3)."""
    user = ctx.actor
    org = getattr(user, "organisation", None) if user is not None else None
    if org is None:
        return ReporterType.PUBLIC, None
    return (ReporterType.ENTERPRISE if org.is_enterprise else ReporterType.AGENCY), org


def report_prepare(*, data: ReportInput, ictx: IntakeContext) -> Prepared:
    """Check every field; raise ReportInvalid naming each wrong one. Writes nothing."""
    errors: dict[str, list[str]] = defaultdict(list)
    description = (data.description or "").strip()
    if len(description) < 10:
        errors["description"].append(_("Describe what happened (at least 10 characters)."))
    elif len(description) > 20000:
        errors["description"].append(_("The description is too long (at most 20,000 characters)."))
    behaviour = None
    if data.behaviour:
        behaviour = ictx.behaviours.get(data.behaviour)
        if behaviour is None:
            errors["behaviour"].append(_("Unknown violation code '%(code)s'.") % {"code": data.behaviour})
    sector = behaviour.sector if behaviour else None
    if data.sector:
        sector = ictx.sectors.get(data.sector)
        if sector is None:
            errors["sector"].append(_("Unknown sector '%(code)s'.") % {"code": data.sector})
        elif behaviour and behaviour.sector_id != sector.pk:
            errors["behaviour"].append(_("This violation does not belong to the chosen sector."))
    area = None
    if data.area:
        area = ictx.area(data.area)
        if area is None:
            errors["area"].append(_("Unknown place '%(code)s'.") % {"code": data.area})
    if data.occurred_at and data.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"].append(_("The time it happened cannot be in the future."))
    if len(data.address) > 300:
        errors["address"].append(_("The address is too long."))
    if len(data.indicators) > MAX_INDICATORS:
        errors["indicators"].append(_("At most %(n)d indicators per report.") % {"n": MAX_INDICATORS})
    found: dict[tuple[str, str], tuple[ind.Indicator, str]] = {}
    for i, given in enumerate(data.indicators[:MAX_INDICATORS]):
        if given.kind not in ind.IndicatorKind.__members__.values():
            errors[f"indicators.{i}.kind"].append(_("Unknown kind of indicator '%(k)s'.") % {"k": given.kind})
            continue
        if not (given.value or "").strip():
            errors[f"indicators.{i}.value"].append(_("Enter a value."))
            continue
        if len(given.value) > 500:
            errors[f"indicators.{i}.value"].append(_("The value is too long."))
            continue
        # Invalid values are kept as written and flagged, never dropped.
        parsed = ind.normalise(given.kind, given.value, bank=given.bank)
        found.setdefault((parsed.kind, parsed.value), (parsed, IndicatorSource.FIELD))
    for parsed in ind.extract(description):
        found.setdefault((parsed.kind, parsed.value), (parsed, IndicatorSource.TEXT))
    for parsed, _source in list(found.values()):
        for extra in ind.related(parsed):
            found.setdefault((extra.kind, extra.value), (extra, IndicatorSource.DERIVED))
    contact = data.contact
    if contact and contact.given:
        if not contact.consent:
            errors["consent"].append(_("To leave contact details, agree to how they will be used."))
        if contact.email and "@" not in contact.email:
            errors["contact_email"].append(_("Enter a valid e-mail address."))
        if contact.phone and not ind.normalise("phone", contact.phone).valid:
            errors["contact_phone"].append(_("Enter a valid phone number."))
    if len(data.external_ref) > 100:
        errors["external_ref"].append(_("The reference is too long (at most 100 characters)."))
    if len(data.files) > MAX_FILES:
        errors["files"].append(_("At most %(n)d files per report.") % {"n": MAX_FILES})
    uploads = []
    for upload in data.files[:MAX_FILES]:
        try:
            uploads.append(check_upload(upload))
        except UploadRejected as exc:
            errors["files"].append(str(exc))
    if errors:
        raise ReportInvalid(dict(errors))
    return Prepared(data, behaviour, sector, area, list(found.values()), uploads)


def reference_new() -> str:
    """A new tracking code, e.g. TB26-7K3M9Q2XAB (31^10 codes a year: collisions are rare, and checked)."""
    year = timezone.localdate().year
    return f"TB{year % 100:02d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def _secret_hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def _search_text(p: Prepared, reference: str) -> str:
    parts = [reference, p.data.description, p.data.address]
    if p.behaviour:
        parts += [p.behaviour.code, p.behaviour.help_vi, p.behaviour.help_en]
    if p.area:
        parts.append(p.area.name)
    parts += [i.value for i, _s in p.indicators] + [i.raw for i, _s in p.indicators]
    return fold(" ".join(parts))


def _build(p: Prepared, *, channel: str, ctx: AuditContext, ruleset) -> tuple[Report, str]:
    reporter_type, org = _reporter(ctx)
    # Easy to copy by hand or read out over the phone: no 0/O, 1/I/L, no punctuation.
    secret = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    reference = reference_new()
    report = Report(
        reference=reference,
        secret_hash=_secret_hash(secret),
        channel=channel,
        reporter_type=reporter_type,
        submitted_by=ctx.actor if reporter_type != ReporterType.PUBLIC else None,
        reporter_organisation=org,
        on_behalf_of=p.data.on_behalf_of.strip()[:200],
        external_ref=p.data.external_ref.strip(),
        sector=p.sector,
        behaviour=p.behaviour,
        area=p.area,
        address=p.data.address.strip(),
        occurred_at=p.data.occurred_at,
        description=p.data.description.strip(),
        ruleset=ruleset,
        search_text=_search_text(p, reference),
    )
    return report, secret


def _routing_input(p: Prepared, report: Report, day: dt.date) -> RoutingInput:
    return RoutingInput(
        behaviour=p.behaviour.code if p.behaviour else None,
        sector=p.sector.code if p.sector else None,
        area=p.area,
        reporter_type=report.reporter_type,
        indicator_kinds=frozenset(str(i.kind) for i, _s in p.indicators),
        day=day,
    )


def _write(prepared: list[Prepared], *, channel: str, ctx: AuditContext, ictx: IntakeContext) -> list[Submitted]:
    """Persist a batch of prepared reports with bulk inserts; the caller holds the transaction."""
    router = ictx.router
    out: list[Submitted] = []
    reports = []
    for p in prepared:
        report, secret = _build(p, channel=channel, ctx=ctx, ruleset=router.ruleset)
        reports.append(report)
        out.append(Submitted(report, secret))
    _unique_references(reports)
    Report.objects.bulk_create(reports)
    if connection_needs_ids(reports):
        refs = {r.reference: r for r in reports}
        for pk, ref in Report.objects.filter(reference__in=list(refs)).values_list("pk", "reference"):
            refs[ref].pk = pk

    indicator_rows = indicator_upsert_many({(str(i.kind), i.value) for p in prepared for i, _s in p.indicators})
    links, counts = [], defaultdict(int)
    for p, report in zip(prepared, reports, strict=True):
        for parsed, source in p.indicators:
            row = indicator_rows[(str(parsed.kind), parsed.value)]
            counts[row.pk] += 1
            links.append(
                ReportIndicator(
                    report=report,
                    indicator=row,
                    raw=parsed.raw[:500],
                    valid=parsed.valid,
                    error_code=parsed.error_code or "",
                    source=source,
                    detail=(parsed.bank or parsed.domain or "")[:100],
                )
            )
    ReportIndicator.objects.bulk_create(links)
    indicator_count_reports(counts)

    now = timezone.now()
    deliveries, events = [], []
    for p, report in zip(prepared, reports, strict=True):
        recipients = router.route(_routing_input(p, report, router.day))
        for r in recipients:
            deliveries.append(
                Delivery(
                    report=report,
                    organisation=r.organisation,
                    articles=", ".join(r.articles)[:200],
                    reasons=[reason.__dict__ for reason in r.reasons],
                    delivered_at=now,
                )
            )
        events.append(
            PendingEvent(
                "report.submit",
                "intake.report",
                str(report.pk),
                report.reference,
                {
                    "channel": channel,
                    "recipients": [r.organisation.code for r in recipients],
                    "indicators": len(p.indicators),
                    "files": len(p.uploads),
                },
            )
        )
    Delivery.objects.bulk_create(deliveries)
    audit_record_many(ctx=ctx, events=events)

    contacts = [
        ReporterContact(
            report=report,
            name=p.data.contact.name.strip()[:200],
            phone=p.data.contact.phone.strip()[:40],
            email=p.data.contact.email.strip()[:254],
            consent_at=now,
            consent_version=CONSENT_VERSION,
        )
        for p, report in zip(prepared, reports, strict=True)
        if p.data.contact and p.data.contact.given
    ]
    ReporterContact.objects.bulk_create(contacts)

    if deliveries:
        delivery_ids = (
            [d.pk for d in deliveries]
            if deliveries[0].pk
            else list(Delivery.objects.filter(report__in=reports).values_list("pk", flat=True))
        )
        deliveries_enqueue_notifications(delivery_ids)
    return out


def _unique_references(reports: list[Report]) -> None:
    """Draw again any tracking code already taken or repeated in the batch (one indexed lookup a round)."""
    while True:
        codes = [r.reference for r in reports]
        taken = set(Report.objects.filter(reference__in=codes).values_list("reference", flat=True))
        seen: set[str] = set()
        clashes = []
        for report in reports:
            if report.reference in taken or report.reference in seen:
                clashes.append(report)
            seen.add(report.reference)
        if not clashes:
            return
        for report in clashes:
            old, report.reference = report.reference, reference_new()
            report.search_text = report.search_text.replace(fold(old), fold(report.reference), 1)


def connection_needs_ids(objs) -> bool:
    """bulk_create sets primary keys on PostgreSQL and SQLite 3.35+; fetch them where it did not."""
    return any(o.pk is None for o in objs)


def _save_files(report: Report, uploads: list[CheckedUpload], ctx: AuditContext, saved: list) -> None:
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


def _delete_files(saved: list) -> None:
    for f in saved:
        with contextlib.suppress(OSError):
            f.storage.delete(f.name)


def _by_own_reference(org: Organisation, refs: list[str]):
    """An organisation's reports by its own references. The `external_ref <> ''` term repeats the partial
    unique index's condition so SQLite can use that index (it cannot infer it from `external_ref IN ...`)."""
    return Report.objects.filter(reporter_organisation=org, external_ref__in=refs).exclude(external_ref="")


def _existing(org: Organisation | None, external_ref: str) -> Report | None:
    if org is None or not external_ref.strip():
        return None
    return _by_own_reference(org, [external_ref.strip()]).first()


def report_submit(
    *, data: ReportInput, channel: str, ctx: AuditContext, ictx: IntakeContext | None = None
) -> Submitted:
    """Receive one report through any door. Idempotent on the organisation's own reference."""
    ictx = ictx or IntakeContext()
    _type, org = _reporter(ctx)
    if channel == Channel.WEB and org is not None:
        channel = Channel.SIGNED_IN
    previous = _existing(org, data.external_ref)
    if previous:
        return Submitted(previous, None, created=False)
    prepared = report_prepare(data=data, ictx=ictx)
    saved: list = []
    try:
        with transaction.atomic():
            [submitted] = _write([prepared], channel=channel, ctx=ctx, ictx=ictx)
            _save_files(submitted.report, prepared.uploads, ctx, saved)
    except IntegrityError:
        _delete_files(saved)
        previous = _existing(org, data.external_ref)
        if previous:  # a concurrent retry with the same reference won the race
            return Submitted(previous, None, created=False)
        raise
    except BaseException:
        _delete_files(saved)  # no orphan file: the report they belonged to was rolled back
        raise
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
    _type, org = _reporter(ctx)
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
        try:
            with transaction.atomic():
                written = _write([p for _i, p in part], channel=channel, ctx=ctx, ictx=ictx)
        except IntegrityError:
            # A concurrent import stored some of these references first: keep theirs, write the rest.
            taken = dict(
                _by_own_reference(org, [refs[i] for i, _p in part if refs[i]]).values_list("external_ref", "reference")
            )
            for i, _p in part:
                results[i].reference = taken.get(refs[i])
            part = [(i, p) for i, p in part if refs[i] not in taken]
            with transaction.atomic():
                written = _write([p for _i, p in part], channel=channel, ctx=ctx, ictx=ictx)
        for (i, _p), submitted in zip(part, written, strict=True):
            results[i].reference = submitted.report.reference
            results[i].created = True
    return results


def report_track(*, reference: str, secret: str) -> Report | None:
    """The report for a tracking code and secret, or None (the same answer for a wrong code or secret)."""
    report = Report.objects.filter(reference=reference.strip().upper()).first()
    expected = report.secret_hash if report else _secret_hash("decoy")
    if not hmac.compare_digest(expected, _secret_hash(secret.strip())) or report is None:
        return None
    return report


def report_follow_up(*, report: Report, text: str, ctx: AuditContext) -> None:
    """The reporter adds information with the tracking code and secret; receiving parties see it."""
    text = (text or "").strip()
    if len(text) < 3 or len(text) > 5000:
        raise ReportInvalid({"text": [_("Write between 3 and 5,000 characters.")]})
    if report.status == ReportStatus.CLOSED:
        raise ReportInvalid({"text": [_("This report is closed.")]})
    with transaction.atomic():
        report.follow_ups.create(text=text)
        report.search_text = f"{report.search_text} {fold(text)}"
        report.save(update_fields=["search_text", "updated_at"])
        audit_record(ctx=ctx, action="report.follow_up", obj=report, summary=report.reference)


def contact_reveal(*, report: Report, ctx: AuditContext, reason: str) -> ReporterContact | None:
    """Show the reporter's contact details to a hub focal point who asks, with a reason; audit-logged."""
    user = ctx.actor
    if user is None or not can(user, Action.REVEAL_CONTACT, report):
        raise NotAllowed(_("Only a focal point of DIC or the Provincial Police may see who reported."))
    if len((reason or "").strip()) < 5:
        raise ReportInvalid({"reason": [_("Give the reason you need the reporter's contact details.")]})
    contact = ReporterContact.objects.filter(report=report).first()
    audit_record(
        ctx=ctx,
        action="report.contact_reveal",
        obj=report,
        summary=report.reference,
        data={"reason": reason.strip()[:500], "had_contact": contact is not None},
    )
    return contact


def report_mark_acknowledged(*, delivery, at) -> None:
    """Đ3.4: a report is "acknowledged" once any organisation it was delivered to has acknowledged it."""
    Report.objects.filter(pk=delivery.report_id, status=ReportStatus.RECEIVED).update(
        status=ReportStatus.ACKNOWLEDGED, updated_at=at
    )
