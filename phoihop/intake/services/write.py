"""Writing prepared reports: the rows, indicators, deliveries, contacts and audit events, in bulk."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from phoihop.audit.services import AuditContext, PendingEvent, audit_record_many
from phoihop.core.bulk import insert_objects
from phoihop.core.registry import run_hook
from phoihop.core.search import compact
from phoihop.core.text import fold
from phoihop.inbox.models import Delivery
from phoihop.inbox.services import deliveries_enqueue_urgent
from phoihop.indicators.services import indicators_record
from phoihop.routing.engine import RoutingInput

from ..choices import ReporterType
from ..models import Report, ReporterContact, ReportIndicator
from ..selectors import link_order, remember_rows
from .inputs import (
    CONSENT_VERSION,
    REFERENCE_ALPHABET,
    IntakeContext,
    Prepared,
    Submitted,
    reporter_of,
)

# Announced inside the write's transaction with the new reports, their deliveries and their indicator links
# (objects in memory, primary keys set): a higher app keeps its own counts of them (dashboards: the daily
# aggregates, Đ18).
REPORTS_WRITTEN_HOOK = "intake.reports_written"


def reference_new() -> str:
    """A new tracking code, e.g. TB26-7K3M9Q2XAB (31^10 codes a year: collisions are rare, and checked)."""
    year = timezone.localdate().year
    return f"TB{year % 100:02d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def secret_hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def _search_text(p: Prepared, reference: str) -> str:
    parts = [reference, p.data.description, p.data.address]
    if p.behaviour:
        parts += [p.behaviour.code, p.behaviour.help_vi, p.behaviour.help_en]
    if p.area:
        parts.append(p.area.name)
    parts += [i.value for i, _s in p.indicators] + [i.raw for i, _s in p.indicators]
    return compact(fold(" ".join(parts)))  # each word once: the same matches in a third fewer bytes (issue 9)


def _build(p: Prepared, *, channel: str, ctx: AuditContext, ruleset) -> tuple[Report, str]:
    reporter_type, org = reporter_of(ctx)
    # Easy to copy by hand or read out over the phone: no 0/O, 1/I/L, no punctuation.
    secret = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    reference = reference_new()
    report = Report(
        reference=reference,
        secret_hash=secret_hash(secret),
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


@dataclass
class Composed:
    """A batch of reports built in memory, before the transaction: the rows, their routing (Đ12–16) and their
    deliveries, the reporters' contacts. None of it reads the database, so none of it is done while the write
    lock is held (SQLite has one writer at a time: the shorter each write, the more reports a second)."""

    prepared: list[Prepared]
    channel: str
    submitted: list[Submitted]
    reports: list[Report]
    deliveries: list[list[Delivery]]  # per report, one per recipient
    contacts: list[ReporterContact]
    links: list[list[ReportIndicator]] = field(default_factory=list)  # per report, filled by reports_write


def reports_compose(prepared: list[Prepared], *, channel: str, ctx: AuditContext, ictx: IntakeContext) -> Composed:
    """Build a batch of reports and route them, writing nothing (the caller writes them with reports_write)."""
    router = ictx.router
    now = timezone.now()
    composed = Composed(prepared, channel, [], [], [], [])
    for p in prepared:
        report, secret = _build(p, channel=channel, ctx=ctx, ruleset=router.ruleset)
        composed.reports.append(report)
        composed.submitted.append(Submitted(report, secret))
        recipients = router.route(_routing_input(p, report, router.day))
        composed.deliveries.append(
            [
                Delivery(
                    report=report,
                    organisation=r.organisation,
                    articles=", ".join(r.articles)[:200],
                    rules=",".join(dict.fromkeys(reason.rule for reason in r.reasons))[:300],
                    delivered_at=now,
                    urgent=r.urgent,
                )
                for r in recipients
            ]
        )
        if p.data.contact and p.data.contact.given:
            composed.contacts.append(
                ReporterContact(
                    report=report,
                    name=p.data.contact.name.strip()[:200],
                    phone=p.data.contact.phone.strip()[:40],
                    email=p.data.contact.email.strip()[:254],
                    consent_at=now,
                    consent_version=CONSENT_VERSION,
                )
            )
    return composed


def reports_write(composed: Composed, *, ctx: AuditContext) -> list[Submitted]:
    """Persist a composed batch with bulk inserts; the caller holds the transaction."""
    prepared, reports = composed.prepared, composed.reports
    _unique_references(reports)
    insert_objects(reports)
    if connection_needs_ids(reports):
        refs = {r.reference: r for r in reports}
        for pk, ref in Report.objects.filter(reference__in=list(refs)).values_list("pk", "reference"):
            refs[ref].pk = pk

    counts: dict[tuple[str, str], int] = defaultdict(int)
    for p in prepared:
        for parsed, _source in p.indicators:
            counts[(str(parsed.kind), parsed.value)] += 1
    indicator_rows = indicators_record(counts)  # the rows with their new counts, in one statement
    links = []
    for p, report in zip(prepared, reports, strict=True):
        for parsed, source in p.indicators:
            links.append(
                ReportIndicator(
                    report=report,
                    indicator=indicator_rows[(str(parsed.kind), parsed.value)],
                    raw=parsed.raw[:500],
                    valid=parsed.valid,
                    error_code=parsed.error_code or "",
                    source=source,
                    detail=(parsed.bank or parsed.domain or "")[:100],
                )
            )
    insert_objects(links)
    links_of: dict[int, list[ReportIndicator]] = defaultdict(list)
    for link in links:
        links_of[id(link.report)].append(link)
    composed.links = [links_of[id(report)] for report in reports]

    deliveries = [d for per_report in composed.deliveries for d in per_report]
    insert_objects(deliveries)
    run_hook(REPORTS_WRITTEN_HOOK, reports=reports, deliveries=deliveries, links=links)
    events = [
        PendingEvent(
            "report.submit",
            "intake.report",
            str(report.pk),
            report.reference,
            {
                "channel": composed.channel,
                "recipients": [d.organisation.code for d in own],
                "indicators": len(p.indicators),
                "files": len(p.uploads),
            },
        )
        for p, report, own in zip(prepared, reports, composed.deliveries, strict=True)
    ]
    audit_record_many(ctx=ctx, events=events)
    insert_objects(composed.contacts)

    # The focal points hear of these deliveries in the next digest (inbox.tasks.inbox_digest), which
    # needs nothing written here; urgent ones (Đ3.1) are e-mailed at once, by one task for the batch.
    urgent = [d for d in deliveries if d.urgent]
    if urgent:
        deliveries_enqueue_urgent(
            delivery_ids=[d.pk for d in urgent]
            if urgent[0].pk
            else list(Delivery.objects.filter(report__in=reports, urgent=True).values_list("pk", flat=True))
        )
    return composed.submitted


def reports_remember(composed: Composed) -> None:
    """What the write holds is what a response shows: the reports' related managers answer from memory, so
    returning a new report to its sender costs no query (Django's prefetch cache). Called once the transaction
    is over: it needs no lock, and the write lock is held by no one for it."""
    for report, own, links in zip(composed.reports, composed.deliveries, composed.links, strict=True):
        remember_rows(report, "deliveries", own)
        remember_rows(report, "indicator_links", sorted(links, key=link_order))


def _unique_references(reports: list[Report]) -> None:
    """Draw again any tracking code already taken or repeated in the batch (one indexed lookup a round)."""
    while True:
        codes = [r.reference for r in reports]
        # Plain SQL: on the API's one-report path the ORM's query building cost more than the indexed
        # look-up itself. The table name is the model's; the codes travel as parameters.
        marks = ", ".join(["%s"] * len(codes))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT reference FROM {Report._meta.db_table} WHERE reference IN ({marks})", codes)  # noqa: S608
            taken = {row[0] for row in cursor.fetchall()}
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
