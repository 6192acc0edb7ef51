"""Reporting periods and obligations (Đ18.2): a six-monthly period from the rule set's schedule, the parties
it obliges, and the DIC's ad-hoc requests with their own deadline."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, Invalid, NotAllowed, Unavailable
from phoihop.core.workdays import next_working_day
from phoihop.directory.models import Organisation
from phoihop.directory.selectors import function_holders
from phoihop.routing.reference import active_ruleset
from phoihop.rulesets.models import RuleSet

from ..choices import PeriodKind
from ..models import Obligation, Period, ReportingSchedule
from ..permissions import CONVENOR_FUNCTION, may_manage

CODE = re.compile(r"^(?P<year>\d{4})-(?P<part>[A-Z][A-Z0-9]{0,5})$")


@dataclass(frozen=True)
class PeriodDates:
    code: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date
    ruleset: RuleSet


def schedule_for(day: dt.date) -> ReportingSchedule:
    """The reporting schedule of the rule set in force on `day`; Unavailable when it has none."""
    ruleset = active_ruleset(day)
    schedule = ReportingSchedule.objects.filter(ruleset=ruleset).select_related("ruleset").first()
    if schedule is None:
        raise Unavailable(
            _("The rule set in force (%(code)s) has no reporting schedule (reporting.yaml).")
            % {"code": getattr(ruleset, "code", "—")}
        )
    return schedule


def _md(value: str) -> tuple[int, int]:
    month, day = (int(p) for p in value.split("-"))
    return month, day


def _dates(schedule: ReportingSchedule, year: int, part: dict) -> tuple[dt.date, dt.date, dt.date]:
    starts = dt.date(year, *_md(part["starts"]))
    ends = dt.date(year, *_md(part["ends"]))
    due_md = _md(part["due"])
    due = dt.date(year if due_md > _md(part["ends"]) else year + 1, *due_md)
    return starts, ends, next_working_day(due)


def period_dates(code: str) -> PeriodDates:
    """The boundaries and due date of the six-monthly period `code` (e.g. 2026-H2), from the schedule of the
    rule set in force when it ends. Invalid naming the field `period` when there is no such period."""
    match = CODE.match(code or "")
    if not match:
        raise Invalid({"period": [_("A period is written like 2026-H2.")]})
    year, part_code = int(match["year"]), match["part"]
    if not 2000 <= year <= 2999:
        raise Invalid({"period": [_("The year of the period is out of range.")]})
    # The part's end decides which rule set applies: read it with the schedule in force mid-year, then check.
    schedule = schedule_for(dt.date(year, 6, 30))
    for _attempt in range(2):
        part = next((p for p in schedule.periods if p["code"] == part_code), None)
        if part is None:
            known = ", ".join(p["code"] for p in schedule.periods)
            raise Invalid(
                {"period": [_("No period %(part)s in the schedule (%(known)s).") % {"part": part_code, "known": known}]}
            )
        starts, ends, due = _dates(schedule, year, part)
        in_force = schedule_for(ends)
        if in_force.pk == schedule.pk:
            break
        schedule = in_force
    title = f"{part['name_vi']} {year}"
    return PeriodDates(code, title, starts, ends, due, schedule.ruleset)


def period_for_day(day: dt.date) -> str:
    """The code of the six-monthly period that contains `day`."""
    schedule = schedule_for(day)
    for part in schedule.periods:
        starts, ends, _due = _dates(schedule, day.year, part)
        if starts <= day <= ends:
            return f"{day.year}-{part['code']}"
    raise Unavailable(_("No reporting period of the schedule contains %(day)s.") % {"day": day.isoformat()})


def previous_code(code: str) -> str:
    """The code of the six-monthly period before `code`."""
    dates = period_dates(code)
    return period_for_day(dates.starts_on - dt.timedelta(days=1))


def obliged_organisations(schedule: ReportingSchedule, day: dt.date) -> list[tuple[Organisation, str]]:
    """Đ18.2: the organisations that owe a report (holding an obliged function, or of an obliged type, on
    `day`), each with the schedule line that obliges it; the convenor receives the reports and owes none."""
    convenors = {o.pk for o in function_holders(CONVENOR_FUNCTION, day=day, resolve="all")}
    valid = Organisation.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    found: dict[int, tuple[Organisation, str]] = {}
    for line in schedule.obliged:
        if line.get("function"):
            orgs = function_holders(line["function"], day=day, resolve="all")
        else:
            orgs = list(valid.filter(type=line["type"]).order_by("code"))
        for org in orgs:
            if org.pk not in convenors:
                found.setdefault(org.pk, (org, line["code"]))
    return sorted(found.values(), key=lambda pair: pair[0].code)


def period_ensure(*, code: str, ctx: AuditContext) -> Period:
    """The six-monthly period `code` with its obligations, created once (the obligations of the parties
    obliged when it ends, or today for a period still running). Idempotent."""
    existing = Period.objects.filter(code=code).first()
    if existing is not None:
        return existing
    dates = period_dates(code)
    schedule = ReportingSchedule.objects.get(ruleset=dates.ruleset)
    day = min(dates.ends_on, timezone.localdate())
    try:
        with transaction.atomic():
            period = Period.objects.create(
                code=code,
                kind=PeriodKind.REGULAR,
                title=dates.title,
                starts_on=dates.starts_on,
                ends_on=dates.ends_on,
                due_on=dates.due_on,
                ruleset=dates.ruleset,
                created_by=ctx.actor if getattr(ctx.actor, "pk", None) else None,
            )
            parties = obliged_organisations(schedule, day)
            Obligation.objects.bulk_create(
                [Obligation(period=period, organisation=o, due_on=dates.due_on, basis=basis) for o, basis in parties]
            )
            audit_record(
                ctx=ctx,
                action="reporting.period_open",
                obj=period,
                summary=f"{code}: {len(parties)}",
                data={"article": "Đ18.2", "due_on": dates.due_on.isoformat(), "parties": len(parties)},
            )
    except IntegrityError:  # opened by someone else meanwhile
        return Period.objects.get(code=code)
    return period


def adhoc_request(
    *,
    title: str,
    request_text: str,
    starts_on: dt.date,
    ends_on: dt.date,
    due_on: dt.date,
    organisations: list[Organisation],
    ctx: AuditContext,
) -> Period:
    """Đ18.2 "đột xuất khi có yêu cầu": the DIC asks chosen parties for a report with its own deadline."""
    if not may_manage(ctx.actor):
        raise NotAllowed(_("Only the convenor of the review (the DIC) asks for an ad-hoc report."))
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the request a title.")]
    if not (request_text or "").strip():
        errors["request_text"] = [_("Say what the report must cover.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The period ends before it starts.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [_("The deadline is in the past.")]
    if not organisations:
        errors["organisations"] = [_("Choose the parties asked to report.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        year = timezone.localdate().year
        number = Period.objects.filter(kind=PeriodKind.AD_HOC, code__startswith=f"{year}-AH").count() + 1
        code = f"{year}-AH{number}"
        if Period.objects.filter(code=code).exists():
            raise Conflict(_("Another ad-hoc request was just made; send it again."))
        period = Period.objects.create(
            code=code,
            kind=PeriodKind.AD_HOC,
            title=title.strip(),
            request_text=request_text.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            due_on=due_on,
            ruleset=active_ruleset(ends_on),
            created_by=ctx.actor,
        )
        Obligation.objects.bulk_create(
            [Obligation(period=period, organisation=o, due_on=due_on, basis="ad-hoc") for o in organisations]
        )
        audit_record(
            ctx=ctx,
            action="reporting.adhoc_request",
            obj=period,
            summary=f"{code}: {len(organisations)}",
            data={"article": "Đ18.2", "due_on": due_on.isoformat(), "parties": [o.code for o in organisations]},
        )
    return period
