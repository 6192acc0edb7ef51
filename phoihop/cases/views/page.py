"""The case page: its state and possible moves, organisations, people, reports, tasks, notes and timeline;
and its sections, each sent back alone (with the timeline) after an htmx POST."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from phoihop.core.errors import DomainError
from phoihop.directory.models import User
from phoihop.indicators.normalise import KIND_LABELS, IndicatorKind
from phoihop.intake.models import Evidence

from ..choices import AccessLevel, CaseStatus, Outcome
from ..forms import (
    AccessForm,
    EvidenceForm,
    LinkForm,
    MemberForm,
    NoteForm,
    ParticipantForm,
    RemoveParticipantForm,
    SecretDossierForm,
    TaskCompleteForm,
    TaskForm,
    TaskReassignForm,
)
from ..forms.common import people_of
from ..models import Case, CaseEvidence, CaseLink, SecretDossier
from ..permissions import Action, can, may_name_people, visible_cases
from ..selectors import case_indicators, case_reports, case_timeline, suggested_reports
from ..workflow import CASE_WORKFLOW
from .common import _audit_view, _case_or_404

TIMELINE_LIMIT = 300


# --- The case page --------------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    when: object
    who: str
    organisation: str
    action: str
    detail: str


def _timeline(user, case: Case) -> list[TimelineEntry]:
    events = list(case_timeline(case).select_related("actor__organisation").order_by("-seq")[:TIMELINE_LIMIT])
    # A linked case is named only to those who may see it (a hidden case is never named, Đ3.1).
    linked = {e.data.get("other") for e in events if e.action == "case.link" and e.data}
    visible = set(visible_cases(user).filter(reference__in=linked).values_list("reference", flat=True))
    named = {e.data.get("user") for e in events if e.action == "case.member_add" and e.data}
    names = (
        {u.get_username(): u.get_full_name() or u.get_username() for u in User.objects.filter(username__in=named)}
        if named
        else {}
    )
    entries = []
    for e in events:
        who = (e.actor.get_full_name() or e.actor.get_username()) if e.actor else e.actor_label
        org = e.actor.organisation.display_name if e.actor and e.actor.organisation else ""
        detail = names.get(e.data.get("user"), "") if e.action == "case.member_add" else _event_detail(e, visible)
        entries.append(TimelineEntry(e.created_at, who, org, e.action, detail))
    return entries


def _event_detail(event, visible_refs: set[str]) -> str:
    data = event.data or {}
    if event.action == "case.link":
        other = data.get("other", "")
        return other if other in visible_refs else _("a case you may not see")
    if event.action.startswith("case.move."):
        before, after = data.get("before"), data.get("after")
        labels = [str(CaseStatus(s).label) for s in (before, after) if s in CaseStatus.values]
        detail = " → ".join(labels)
        extra = [data[k] for k in ("transfer_dossier", "recommendation_ref", "sanction_decision") if data.get(k)]
        if data.get("outcome") in Outcome.values:
            extra.append(str(Outcome(data["outcome"]).label))
        if data.get("reason"):
            extra.append(data["reason"])
        if data.get("article"):
            extra.append(data["article"])
        return "; ".join([detail, *extra]) if extra else detail
    if event.action == "case.open":
        return ", ".join(data.get("reports", []))
    if event.action == "case.attach":
        return ", ".join(data.get("reports", []))
    if event.action == "case.access":
        level = data.get("level")
        return str(AccessLevel(level).label) if level in AccessLevel.values else ""
    if event.action in {"case.view", "case.note", "case.secret_dossier"}:
        return ""
    return event.summary


def _indicators(case: Case) -> list:
    """The indicators of the case's reports, each with its kind's readable label."""
    indicators = list(case_indicators(case))
    for i in indicators:
        try:
            i.kind_label = str(KIND_LABELS.get(IndicatorKind(i.kind), i.kind))
        except ValueError:
            i.kind_label = i.kind
    return indicators


def _links(user, case: Case) -> tuple[list[Case], int]:
    """Linked cases the user may see, and how many others there are (a count, never their names)."""
    ids = set(CaseLink.objects.filter(case=case).values_list("other_id", flat=True))
    ids |= set(CaseLink.objects.filter(other=case).values_list("case_id", flat=True))
    visible = list(visible_cases(user).filter(pk__in=ids).select_related("lead_organisation").order_by("-created_at"))
    return visible, len(ids) - len(visible)


def _page_context(request, case: Case, **forms) -> dict:
    """Everything the case page shows; `forms` replaces the empty forms with bound ones (to show errors)."""
    user = request.user
    may_work = can(user, Action.WORK, case)
    may_manage = can(user, Action.MANAGE, case)
    secret = case.has_secret_dossier
    moves = CASE_WORKFLOW.available(user, case)
    move_forms = forms.pop("move_forms", {})
    reports = list(case_reports(user, case))
    tasks = list(case.tasks.select_related("organisation", "owner").order_by("done_at", "due_at", "created_at"))
    case_files = list(CaseEvidence.objects.filter(case=case).select_related("task", "uploaded_by__organisation"))
    files_of_task: dict[int, list[CaseEvidence]] = {}
    for f in case_files:
        if f.task_id:
            files_of_task.setdefault(f.task_id, []).append(f)
    complete_forms = forms.pop("complete_forms", {})
    reassign_forms = forms.pop("reassign_forms", {})
    # permissions.may_assign_tasks is can's WORK rule, already asked above: the same people reassign open tasks.
    reassignable = [t for t in tasks if may_work and case.is_open and not t.done_at]
    staff = list(people_of({t.organisation_id for t in reassignable})) if reassignable else []  # one query
    for task in tasks:
        task.can_complete = (
            not task.done_at and not secret and may_work and user.organisation_id == task.organisation_id
        )
        task.complete_form = complete_forms.get(task.pk) or TaskCompleteForm(prefix=f"task-{task.pk}")
        task.files = files_of_task.get(task.pk, [])
        task.reassign_form = None
        if task in reassignable:
            form = reassign_forms.get(task.pk) or TaskReassignForm(
                task=task, people=staff, secret=secret, prefix=f"reassign-{task.pk}"
            )
            task.reassign_form = form if form.has_choices or form.is_bound else None
    linked, hidden_links = _links(user, case)
    closure = case.closure
    remove_form = RemoveParticipantForm(case=case, prefix="remove") if may_manage else None
    context = {
        "case": case,
        "articles": {m.name: m.article for m in CASE_WORKFLOW},  # cited beside what each move recorded
        "may_work": may_work,
        "may_manage": may_manage,
        "may_name_people": may_name_people(user, case),
        "moves": [(m, move_forms.get(m.name) or m.form(obj=case, user=user)) for m in moves],
        "handling": case.administrative_handling,
        "transfer": case.police_transfer,
        "recommendation": case.recommendation,
        "closure": closure,
        "participants": list(case.participants.select_related("organisation").order_by("role", "added_at")),
        "members": list(case.members.select_related("user__organisation").order_by("added_at")),
        "reports": reports,
        "indicators": _indicators(case),
        "evidence": list(
            Evidence.objects.filter(report__in=[r.pk for r in reports])
            .select_related("report")
            .order_by("report__reference", "uploaded_at")
        ),
        "suggested": list(suggested_reports(user, case)) if case.is_open else [],
        "tasks": tasks,
        "notes": list(case.notes.select_related("author__organisation")),
        "linked": linked,
        "hidden_links": hidden_links,
        "dossier": SecretDossier.objects.filter(case=case).first() if secret else None,
        "merged_into_visible": bool(closure and closure.merged_into_id)
        and visible_cases(user).filter(pk=closure.merged_into_id).exists(),
        "timeline": _timeline(user, case),
        "participant_form": ParticipantForm(case=case, prefix="participant") if may_manage else None,
        "remove_form": remove_form if remove_form is not None and remove_form.has_choices else None,
        "case_files": case_files,
        "evidence_form": (EvidenceForm(prefix="evidence") if may_work and not secret and case.is_open else None),
        "member_form": MemberForm(
            case=case, prefix="member", only_organisation=None if may_manage else user.organisation_id
        ),
        "task_form": TaskForm(case=case, prefix="task") if may_work and not secret and case.is_open else None,
        "note_form": NoteForm(prefix="note") if may_work and not secret else None,
        "link_form": LinkForm(user=user, prefix="link") if may_manage else None,
        "access_form": (
            AccessForm(initial={"access_level": case.access_level}, prefix="access")
            if may_manage and not secret
            else None
        ),
        "dossier_form": SecretDossierForm(prefix="dossier") if may_manage and not secret else None,
    }
    for name, form in forms.items():
        context[name] = form
    return context


@login_required
@require_GET
def case_detail(request, reference: str):
    """The case: its state and possible moves, organisations, people, reports, tasks, notes and timeline."""
    case = _case_or_404(request.user, reference)
    _audit_view(request, case)
    return render(request, "cases/detail.html", _page_context(request, case))


# Each section of the case page, the template that draws it, and the id it has on the page.
SECTIONS = {
    "people": "cases/partials/people.html",
    "reports": "cases/partials/reports.html",
    "evidence": "cases/partials/case_files.html",
    "tasks": "cases/partials/tasks.html",
    "notes": "cases/partials/notes.html",
    "links": "cases/partials/links.html",
    "secret": "cases/partials/secret.html",
}
# Sections whose content depends on another's: sent along out-of-band when that one changes (a new
# organisation or person can be given a task; the timeline records every change).
DEPENDENT_SECTIONS = {"people": ("tasks",), "tasks": ("evidence",)}
OOB_SECTIONS = {**SECTIONS, "timeline": "cases/partials/timeline.html"}


def _section(request, case: Case, section: str, *, status: int = 200, **forms) -> HttpResponse:
    """One section of the case page (htmx), with the timeline swapped out-of-band; or the whole page."""
    fresh = _case_or_404(request.user, case.reference)
    context = _page_context(request, fresh, **forms)
    if request.htmx:
        html = render_to_string(SECTIONS[section], context, request=request)
        for other in [*DEPENDENT_SECTIONS.get(section, ()), "timeline"]:
            html += render_to_string(OOB_SECTIONS[other], {**context, "oob": True}, request=request)
        return HttpResponse(html)
    return render(request, "cases/detail.html", context, status=status)


def _done(request, case: Case, section: str, message: str) -> HttpResponse:
    if request.htmx:
        return _section(request, case, section)
    messages.success(request, message)
    return redirect(reverse("cases:detail", args=[case.reference]) + f"#{section}")


def _refused(request, case: Case, section: str, form_name: str, form, exc: DomainError | None = None):
    if exc is not None:
        form.add_domain_error(exc)
    return _section(request, case, section, status=exc.status_code if exc else 400, **{form_name: form})
