"""Opening a case (from one or several reports), attaching reports, closing a report at triage, the case's
access level and state-secret dossier, links between cases and the workflow's moves."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict, DomainError, Invalid, NotAllowed, Unavailable
from phoihop.core.text import fold
from phoihop.directory.models import Organisation
from phoihop.intake.choices import CloseReason, ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.permissions import visible_reports
from phoihop.intake.services import report_status_move, report_status_move_many

from ..choices import AccessLevel, ParticipantRole, SecretLevel
from ..events import notify as _notify
from ..events import record as _record
from ..models import Case, CaseLink, CaseMember, CaseParticipant, CaseReport, SecretDossier
from ..permissions import Action, can, visible_cases
from ..workflow import CASE_WORKFLOW
from .guards import require_acting

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _new_reference() -> str:
    year = timezone.localdate().year % 100
    return f"VV{year:02d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def _refresh_search(case: Case) -> None:
    parts = [case.reference, case.title, case.summary]
    parts += list(case.report_links.values_list("report__reference", flat=True))
    case.search_text = fold(" ".join(p for p in parts if p))
    case.save(update_fields=["search_text", "updated_at"])


MAX_REFERENCE_DRAWS = 8


def _create_case(**fields) -> Case:
    """A new case under a freshly drawn number; a number that is already taken is drawn again."""
    for _draw in range(MAX_REFERENCE_DRAWS):
        reference = _new_reference()
        try:
            with transaction.atomic():  # a savepoint: a collision undoes only this insert
                return Case.objects.create(reference=reference, **fields)
        except IntegrityError:
            if not Case.objects.filter(reference=reference).exists():
                raise
    raise Unavailable(_("No free case number could be drawn; try again."))


def _lock_reports(reports: list[Report]) -> None:
    """Lock the reports' rows, always in the same order (two requests then wait for each other instead of
    both attaching the same report, and cannot deadlock)."""
    list(Report.objects.select_for_update().filter(pk__in=[r.pk for r in reports]).order_by("pk").values("pk"))


def _refuse_taken(user, reports: list[Report]) -> None:
    """Refuse reports already in a case (read under the reports' locks, so a case opened meanwhile counts)."""
    link = CaseReport.objects.filter(report__in=reports).select_related("case", "report").order_by("pk").first()
    if link is None:
        return
    if not visible_cases(user).filter(pk=link.case_id).exists():  # a hidden case is never named
        raise Conflict(_("Report %(r)s is already in a case.") % {"r": link.report.reference})
    raise Conflict(_("Report %(r)s is already in case %(c)s.") % {"r": link.report.reference, "c": link.case.reference})


def _attach(case: Case, reports: list[Report], ctx: AuditContext) -> None:
    try:
        with transaction.atomic():  # the one-case-per-report constraint is the last guard
            CaseReport.objects.bulk_create([CaseReport(case=case, report=r) for r in reports])
    except IntegrityError as exc:
        raise Conflict(_("One of these reports is already in a case.")) from exc
    # Đ4.4: the reports' own move (intake.status: attach), refused if one of them was closed meanwhile.
    report_status_move_many(reports=reports, move="attach", ctx=ctx, data={"case": case.reference})
    _refresh_search(case)


def case_open(
    *,
    reports: Iterable[Report],
    ctx: AuditContext,
    title: str,
    participants: Iterable[Organisation] = (),
    access_level: str = AccessLevel.NORMAL,
    due_at: dt.datetime | None = None,
) -> Case:
    """Open a case from one or several reports; the actor's organisation leads it.

    Two people opening a case from the same report at once: the second waits for the first's lock on the
    report, then finds it in a case and is refused with a Conflict naming it (never a database error)."""
    user = ctx.actor
    require_acting(user)
    reports = list(reports)
    if not reports:
        raise Invalid({"reports": [_("Choose at least one report.")]})
    if not (title or "").strip():
        raise Invalid({"title": [_("Give the case a title.")]})
    if access_level not in AccessLevel.values:
        raise Invalid({"access_level": [_("Unknown access level.")]})
    visible = set(visible_reports(user).filter(pk__in=[r.pk for r in reports]).values_list("pk", flat=True))
    if len(visible) != len(reports):
        raise NotAllowed(_("You can only open a case from reports your organisation received."))
    _refuse_taken(user, reports)  # before any lock: the common refusal costs nothing
    first = reports[0]
    with transaction.atomic():
        _lock_reports(reports)
        _refuse_taken(user, reports)
        case = _create_case(
            title=title.strip()[:300],
            lead_organisation=user.organisation,
            access_level=access_level,
            sector=first.sector,
            behaviour=first.behaviour,
            area=first.area,
            created_by=user,
            due_at=due_at,
        )
        CaseParticipant.objects.create(case=case, organisation=user.organisation, role=ParticipantRole.LEAD)
        CaseMember.objects.create(case=case, user=user)
        for org in participants:
            if org.pk != user.organisation_id:
                CaseParticipant.objects.get_or_create(case=case, organisation=org)
        _attach(case, reports, ctx)
        _record(ctx, case, "open", reports=[r.reference for r in reports])
        _notify(case, "open")
    return case


def case_attach_reports(*, case: Case, reports: Iterable[Report], ctx: AuditContext) -> None:
    """Attach further reports (e.g. ones sharing indicators with the case); race-safe like case_open."""
    user = ctx.actor
    if not can(user, Action.MANAGE, case):
        raise NotAllowed(_("Only the lead organisation's focal point or head may attach reports."))
    reports = list(reports)
    if visible_reports(user).filter(pk__in=[r.pk for r in reports]).count() != len(reports):
        raise NotAllowed(_("You can only attach reports your organisation received."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)  # a close meanwhile waits, or is seen
        _lock_reports(reports)
        if CaseReport.objects.filter(report__in=reports).exists():
            raise Conflict(_("One of these reports is already in a case."))
        if not case.is_open:
            raise Conflict(_("The case is closed."))
        _attach(case, reports, ctx)
        _record(ctx, case, "attach", reports=[r.reference for r in reports])


def report_close(*, report: Report, reason: str, note: str, ctx: AuditContext) -> None:
    """Triage: close a report as unfounded, duplicate or outside jurisdiction, with a reason."""
    user = ctx.actor
    require_acting(user)
    if reason not in {CloseReason.UNFOUNDED, CloseReason.DUPLICATE, CloseReason.NO_JURISDICTION}:
        raise DomainError(_("Choose why the report is closed."), field="reason")
    if len((note or "").strip()) < 5:
        raise DomainError(_("Explain the decision (at least 5 characters)."), field="note")
    if not visible_reports(user).filter(pk=report.pk).exists():
        raise NotAllowed(_("This report was not delivered to your organisation."))
    with transaction.atomic():
        # Read again under a lock: the caller's copy may predate a case opened from it meanwhile.
        report = Report.objects.select_for_update().get(pk=report.pk)
        if (
            report.status in {ReportStatus.IN_CASE, ReportStatus.CLOSED}
            or CaseReport.objects.filter(report=report).exists()
        ):
            raise Conflict(_("The report is already in a case or closed."))
        # Đ4.4: the report's own move (intake.status: close), with its reason and note.
        report_status_move(report=report, move="close", data={"reason": reason, "note": note.strip()}, ctx=ctx)


def case_set_access(*, case: Case, level: str, ctx: AuditContext) -> None:
    """Restrict a case to the people named on it and the heads of its organisations, or lift that."""
    if not can(ctx.actor, Action.MANAGE, case):
        raise NotAllowed(_("Only the lead organisation's focal point or head may change access."))
    if level not in AccessLevel.values:
        raise DomainError(_("Unknown access level."), field="access_level")
    if case.has_secret_dossier and level != AccessLevel.RESTRICTED:
        raise Conflict(_("A case with a state-secret dossier stays restricted."))
    with transaction.atomic():
        case.access_level = level
        case.save(update_fields=["access_level", "updated_at"])
        _record(ctx, case, "access", level=level)


def case_register_secret_dossier(
    *, case: Case, number: str, level: str, holder: str, location: str, ctx: AuditContext
) -> SecretDossier:
    """Law 29/2018: state secrets are kept off the network; the system keeps only the register entry,
    restricts the case, and from then on refuses uploads and free text on it."""
    if not can(ctx.actor, Action.MANAGE, case):
        raise NotAllowed(_("Only the lead organisation's focal point or head may register a dossier."))
    missing = [
        f
        for f, v in {"number": number, "level": level, "holder": holder, "location": location}.items()
        if not (v or "").strip()
    ]
    if missing:
        raise DomainError(
            _("Fill in the register number, classification, holder and where it is kept."), field=missing[0]
        )
    if level not in SecretLevel.values:
        raise DomainError(_("Choose a classification of Law 29/2018: Mật, Tối mật or Tuyệt mật."), field="level")
    with transaction.atomic():
        dossier, _created = SecretDossier.objects.update_or_create(
            case=case,
            defaults={"number": number.strip(), "level": level, "holder": holder.strip(), "location": location.strip()},
        )
        case.has_secret_dossier, case.access_level = True, AccessLevel.RESTRICTED
        case.save(update_fields=["has_secret_dossier", "access_level", "updated_at"])
        _record(ctx, case, "secret_dossier", number=dossier.number, level=level)
    return dossier


def case_link(*, case: Case, other: Case, ctx: AuditContext) -> None:
    if case.pk == other.pk:
        raise DomainError(_("A case cannot be linked to itself."), field="other")
    if not (can(ctx.actor, Action.MANAGE, case) and can(ctx.actor, Action.VIEW, other)):
        raise NotAllowed(_("You may link only cases you lead to cases you can see."))
    a, b = sorted([case, other], key=lambda c: c.pk)
    with transaction.atomic():
        _link, created = CaseLink.objects.get_or_create(case=a, other=b)
        if created:
            _record(ctx, case, "link", other.reference, other=other.reference)


def case_transition(*, case: Case, move: str, ctx: AuditContext, **params) -> Case:
    """Make a workflow move (workflow.py): refused with a reason (and nothing changed) when not allowed."""
    return CASE_WORKFLOW.run(move, obj=case, data=params, ctx=ctx)
