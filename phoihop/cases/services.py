"""Every write of the cases app: open, attach, the workflow moves, tasks, notes, access, secrets.

Each service checks its guard and raises a domain error naming why a request is refused, changes
state in one transaction, writes an audit event on the case (its timeline) and enqueues e-mail.
"""

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
from phoihop.directory.models import Organisation, User
from phoihop.intake.choices import CloseReason, ReportStatus
from phoihop.intake.models import Report
from phoihop.intake.permissions import visible_reports
from phoihop.intake.services import report_status_move, report_status_move_many
from phoihop.intake.services.evidence import StoredFile, evidence_kept, evidence_stored_rows
from phoihop.intake.uploads import CheckedUpload, check_upload

from .choices import AccessLevel, ParticipantRole, SecretLevel
from .events import notify as _notify
from .events import record as _record
from .models import (
    EVIDENCE_FILES_AT_ONCE,
    Case,
    CaseEvidence,
    CaseLink,
    CaseMember,
    CaseParticipant,
    CaseReport,
    Note,
    SecretDossier,
    Task,
)
from .permissions import Action, can, may_act, may_assign_tasks, may_name_person, visible_cases
from .task_ends import cancel_tasks
from .workflow import CASE_WORKFLOW

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _new_reference() -> str:
    year = timezone.localdate().year % 100
    return f"VV{year:02d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def _refresh_search(case: Case) -> None:
    parts = [case.reference, case.title, case.summary]
    parts += list(case.report_links.values_list("report__reference", flat=True))
    case.search_text = fold(" ".join(p for p in parts if p))
    case.save(update_fields=["search_text", "updated_at"])


def _require_acting(user) -> None:
    if not may_act(user):
        raise NotAllowed(_("Only a focal point, a head of agency or a hub coordinator may do this."))


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
    _require_acting(user)
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
    _require_acting(user)
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


def case_add_participant(*, case: Case, organisation: Organisation, ctx: AuditContext) -> None:
    """Bring another organisation into the case (e.g. a carrier to verify a subscriber, Đ11.8)."""
    if not can(ctx.actor, Action.MANAGE, case):
        raise NotAllowed(_("Only the lead organisation's focal point or head may add participants."))
    with transaction.atomic():
        _participant, created = CaseParticipant.objects.get_or_create(case=case, organisation=organisation)
        if created:
            _record(ctx, case, "participant_add", organisation.display_name, organisation=organisation.code)
            _notify(case, "participant")


def case_add_member(*, case: Case, user: User, ctx: AuditContext) -> None:
    """Name a person on the case (assigned officer); the person's organisation must take part."""
    if not may_name_person(ctx.actor, case, user):
        raise NotAllowed(_("You may only assign people of your organisation to a case it takes part in."))
    if (
        user.organisation_id is None
        or not CaseParticipant.objects.filter(case=case, organisation_id=user.organisation_id).exists()
    ):
        raise Conflict(_("%(name)s's organisation does not take part in this case.") % {"name": user.get_full_name()})
    with transaction.atomic():
        _member, created = CaseMember.objects.get_or_create(case=case, user=user)
        if created:
            _record(ctx, case, "member_add", user.get_username(), user=user.get_username())


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


def _refuse_free_text_on_secret(case: Case) -> None:
    if case.has_secret_dossier:
        raise Conflict(
            _(
                "This case has a state-secret dossier. Under Law 29/2018 on protecting state secrets, its content may "
                "not be kept on a networked computer: record it in the paper dossier, not here."
            )
        )


def note_add(*, case: Case, text: str, ctx: AuditContext) -> Note:
    if not can(ctx.actor, Action.WORK, case):
        raise NotAllowed(_("Only the people of the case's organisations may add notes."))
    _refuse_free_text_on_secret(case)
    if len((text or "").strip()) < 2:
        raise DomainError(_("Write the note."), field="text")
    with transaction.atomic():
        note = Note.objects.create(case=case, author=ctx.actor, text=text.strip())
        _record(ctx, case, "note", text[:80])
    return note


def task_create(
    *,
    case: Case,
    title: str,
    organisation: Organisation,
    ctx: AuditContext,
    owner: User | None = None,
    due_at: dt.datetime | None = None,
) -> Task:
    """Ask a participating organisation (or one of its people) to do something by a date."""
    if not may_assign_tasks(ctx.actor, case):
        raise NotAllowed(_("Only the people of the case's organisations may create tasks."))
    _refuse_free_text_on_secret(case)
    if not (title or "").strip():
        raise DomainError(_("Say what is to be done."), field="title")
    if not CaseParticipant.objects.filter(case=case, organisation=organisation).exists():
        raise Conflict(_("%(org)s does not take part in this case.") % {"org": organisation.display_name})
    _refuse_owner(owner, organisation)
    with transaction.atomic():
        task = Task.objects.create(
            case=case,
            title=title.strip()[:300],
            organisation=organisation,
            owner=owner,
            due_at=due_at,
            created_by=ctx.actor,
        )
        if owner:  # the person asked to do the work may see and work on the case
            CaseMember.objects.get_or_create(case=case, user=owner)
        _record(ctx, case, "task_create", task.title, task=task.pk, organisation=organisation.code)
        _notify(case, "task", users=[owner.pk] if owner else None)  # the owner finds it in their bell
    return task


def task_complete(*, task: Task, result: str, ctx: AuditContext, files: Iterable = ()) -> Task:
    """The organisation the task was given to reports it done, with the result and, if any, its files
    (checked and stored like the case's evidence: a bad file refuses the whole completion, nothing kept)."""
    user = ctx.actor
    if not (user and user.organisation_id == task.organisation_id and can(user, Action.WORK, task.case)):
        raise NotAllowed(_("Only the organisation the task was given to may complete it."))
    _refuse_free_text_on_secret(task.case)
    if task.done_at:
        raise Conflict(_("The task is already done."))
    uploads = _check_files(files, required=False)
    with evidence_kept(uploads=uploads) as stored, transaction.atomic():
        task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
        if task.done_at:  # completed (or cancelled) by someone else meanwhile
            raise Conflict(_("The task is already done."))
        task.done_at, task.result = timezone.now(), (result or "").strip()
        task.save(update_fields=["done_at", "result"])
        rows = _evidence_rows(task.case, stored, user, task=task)
        _record(
            ctx,
            task.case,
            "task_complete",
            task.title,
            task=task.pk,
            files=[{"name": r.original_name, "sha256": r.sha256} for r in rows],
        )
        _notify(task.case, "task_done")
    return task


MAX_REASON = 500


def task_reassign(*, task: Task, owner: User, ctx: AuditContext, reason: str = "") -> Task:
    """Give an open task to another person of the organisation it was given to (Đ3.3: the focal point
    distributes the work), saying why if one wishes. The same people may do it as may assign a task; the new
    owner is named on the case (they may then see and work on it), is told as at a task's creation (e-mail
    through the outbox and a notice in the bell), and the previous owner is told it was taken from them."""
    if not may_assign_tasks(ctx.actor, task.case):
        raise NotAllowed(_("Only the people of the case's organisations may reassign tasks."))
    if owner is None:
        raise Invalid({"owner": [_("Choose the person the task is given to.")]})
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise Invalid({"reason": [_("Say why in at most %(n)d characters.") % {"n": MAX_REASON}]})
    if reason:
        _refuse_free_text_on_secret(task.case)  # Law 29/2018: no content of a secret case on the network
    with transaction.atomic():
        # Read again under a lock: completed, cancelled or reassigned by someone else meanwhile is seen.
        # Only the task's row is locked (`of`): its owner is the nullable side of a join.
        task = (
            Task.objects.select_for_update(of=("self",)).select_related("case", "organisation", "owner").get(pk=task.pk)
        )
        if task.done_at or not task.case.is_open:
            raise Conflict(_("The task is closed (done or cancelled): it cannot be reassigned."))
        _refuse_owner(owner, task.organisation)
        if owner.pk == task.owner_id:
            raise Invalid({"owner": [_("The task is already given to this person.")]})
        previous = task.owner
        task.owner = owner
        task.save(update_fields=["owner"])
        CaseMember.objects.get_or_create(case=task.case, user=owner)  # as at creation: they may see the case
        _record(
            ctx,
            task.case,
            "task_reassign",
            f"{task.title}: {_person_name(previous)} → {_person_name(owner)}"[:200],
            task=task.pk,
            owner=owner.get_username(),
            previous_owner=previous.get_username() if previous else None,
            reason=reason,
        )
        _notify(task.case, "task_assigned", users=[owner.pk], only_users=True)
        if previous is not None:
            _notify(task.case, "task_unassigned", users=[previous.pk], only_users=True)
    return task


def _person_name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


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


# --- Task owners: people of the task's organisation only -------------------------------------------------


def task_owner_choices(organisation: Organisation | None):
    """The people a task given to `organisation` may be assigned to: its active staff (none without one)."""
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(organisation=organisation, is_active=True).order_by("last_name", "first_name", "pk")


def _refuse_owner(owner: User | None, organisation: Organisation) -> None:
    if owner is None:
        return
    if owner.organisation_id != organisation.pk or not owner.is_active:
        raise Invalid(
            {
                "owner": [
                    _("%(name)s is not one of the people of %(org)s: choose someone of that organisation.")
                    % {"name": owner.get_full_name() or owner.get_username(), "org": organisation.display_name}
                ]
            }
        )


# --- Evidence on a case and on task results ----------------------------------------------------------------
# Checked by content (intake.uploads: type from the bytes, size limit, no program, no active PDF), stored by
# SHA-256 in the evidence storage before the transaction (intake.services.evidence: temp file, fsync, rename),
# then the rows are written in one transaction with the audit event. A refusal after the files were stored
# removes what this upload wrote; after a crash the hourly orphan sweep does (the cases app tells it which
# files its rows reference, EVIDENCE_REFERENCES_HOOK).

MAX_FILES = EVIDENCE_FILES_AT_ONCE


def _check_files(files: Iterable, *, required: bool) -> list[CheckedUpload]:
    files = [f for f in (files or []) if f is not None]
    if not files and required:
        raise Invalid({"files": [_("Choose at least one file.")]})
    if len(files) > MAX_FILES:
        raise Invalid({"files": [_("At most %(n)d files at a time.") % {"n": MAX_FILES}]})
    return [check_upload(f) for f in files]  # UploadRejected (Invalid) names the file and why


def _evidence_rows(case: Case, stored: list[StoredFile], user: User, *, task: Task | None = None) -> list[CaseEvidence]:
    return evidence_stored_rows(CaseEvidence, stored, case=case, task=task, uploaded_by=user)


def add_case_evidence(
    *, case: Case, files: Iterable, ctx: AuditContext, task: Task | None = None
) -> list[CaseEvidence]:
    """Đ11.8, Đ17.1: people of the case's organisations (lead or participating) add files to the case, or
    to one of its tasks; each is checked by its content and shown with its SHA-256. A bad file refuses the
    whole upload naming the file (Invalid, field "files"); nothing is saved and no file is left behind."""
    user = ctx.actor
    if not can(user, Action.WORK, case):
        raise NotAllowed(_("Only the people of the case's organisations may add evidence."))
    _refuse_free_text_on_secret(case)  # Law 29/2018: no content of a secret case on the network
    if not case.is_open:
        raise Conflict(_("The case is closed; re-open it to add evidence."))
    if task is not None and task.case_id != case.pk:
        raise Invalid({"task": [_("That task is not one of this case's.")]})
    uploads = _check_files(files, required=True)
    # Stored outside the transaction (no lock held while writing); a refusal inside removes what it wrote.
    with evidence_kept(uploads=uploads) as stored, transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)  # a close meanwhile waits, or is seen
        if not locked.is_open:
            raise Conflict(_("The case is closed; re-open it to add evidence."))
        rows = _evidence_rows(case, stored, user, task=task)
        _record(
            ctx,
            case,
            "evidence_add",
            ", ".join(r.original_name for r in rows)[:200],
            task=task.pk if task else None,
            files=[{"name": r.original_name, "sha256": r.sha256, "size": r.size} for r in rows],
        )
        _notify(case, "evidence")
    return rows


def case_evidence_for(user, case: Case, evidence_id: int) -> CaseEvidence | None:
    """One file of a case the user may see (the case itself fetched through the scope): None otherwise."""
    if not can(user, Action.VIEW, case):
        return None
    return CaseEvidence.objects.filter(case=case, pk=evidence_id).select_related("task").first()


def case_evidence_open(*, evidence: CaseEvidence, ctx: AuditContext):
    """Open a file of a case for download, after checking the reader may see the case (need-to-know on a
    restricted case); every download is recorded on the case's timeline (who, which file, from where)."""
    case = evidence.case
    if not can(ctx.actor, Action.VIEW, case):
        raise NotAllowed(_("You may not see this case's files."))
    from phoihop.intake.models import evidence_storage

    try:
        handle = evidence_storage.open(evidence.file, "rb")
    except OSError as exc:
        raise Unavailable(_("The file cannot be read now; try again later.")) from exc
    _record(
        ctx,
        case,
        "evidence_download",
        evidence.original_name,
        evidence=evidence.pk,
        sha256=evidence.sha256,
    )
    return handle


def referenced_evidence_files(*, names) -> set[str]:
    """EVIDENCE_REFERENCES_HOOK: which of these stored names a case's file references (kept by the sweep)."""
    return set(CaseEvidence.objects.filter(file__in=list(names)).values_list("file", flat=True))


# --- Participants: removing one -------------------------------------------------------------------------------


def remove_participant(*, case: Case, organisation: Organisation, reason: str, ctx: AuditContext) -> dict:
    """Đ3.1, Đ17.1 (need to know): the lead takes an organisation off the case, saying why.

    The lead organisation cannot be removed. The organisation's people named on the case are un-named (they
    were named because it took part), its open tasks are cancelled (no one of it could complete them any
    more); from then on it sees the case only on other grounds (a hub sees every unrestricted case, Đ5.2).
    Returns what was done: {"members": [usernames], "tasks": [titles]}."""
    if not can(ctx.actor, Action.MANAGE, case):
        raise NotAllowed(_("Only the lead organisation's focal point or head may remove participants."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise Invalid({"reason": [_("Say why the organisation is removed (at least 5 characters).")]})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if organisation.pk == case.lead_organisation_id:
            raise Conflict(_("%(org)s leads the case and cannot be removed.") % {"org": organisation.display_name})
        participant = CaseParticipant.objects.filter(case=case, organisation=organisation).first()
        if participant is None:
            raise Conflict(_("%(org)s does not take part in this case.") % {"org": organisation.display_name})
        members = list(CaseMember.objects.filter(case=case, user__organisation=organisation).select_related("user"))
        open_tasks = list(Task.objects.filter(case=case, organisation=organisation, done_at__isnull=True))
        cancel_tasks(
            open_tasks,
            _("Cancelled: %(org)s was removed from the case (%(reason)s).")
            % {"org": organisation.display_name, "reason": reason},
        )
        CaseMember.objects.filter(pk__in=[m.pk for m in members]).delete()
        participant.delete()
        done = {"members": [m.user.get_username() for m in members], "tasks": [t.title for t in open_tasks]}
        _record(
            ctx,
            case,
            "participant_remove",
            f"{organisation.display_name}: {reason}"[:200],
            organisation=organisation.code,
            reason=reason,
            members_removed=done["members"],
            tasks_cancelled=[t.pk for t in open_tasks],
        )
        _notify(case, "participant_remove")
    return done


case_remove_participant = remove_participant
