"""Pages of the cases app, mounted at cases/: triage of a report, the case list, the case page and its moves.

Views stay thin: forms shape the input, services write (always with AuditContext.from_request), selectors
and permissions read. Every case and report is fetched through the permission scope, so one out of reach
is a 404 that does not reveal it exists (Đ3.1, Đ17.1). Writes are POST only; each form posts to its own
URL and, sent by htmx, gets back the section it changed (and the timeline); without JavaScript the same
POST redirects back to the page (or, with errors, renders the page with them).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, DomainError
from phoihop.core.errors import NotAllowed as Refused
from phoihop.directory.models import User
from phoihop.indicators.normalise import KIND_LABELS, IndicatorKind
from phoihop.intake.choices import ReportStatus
from phoihop.intake.models import Evidence, Report
from phoihop.intake.selectors import report_for

from . import exports, services
from .choices import AccessLevel, CaseStatus, Outcome
from .filters import CaseFilter
from .forms import (
    AccessForm,
    AttachReportsForm,
    CaseNewForm,
    LinkForm,
    MemberForm,
    MoveForm,
    NoteForm,
    ParticipantForm,
    SecretDossierForm,
    TaskCompleteForm,
    TaskForm,
    move_form,
)
from .models import Case, CaseLink, SecretDossier, Task
from .permissions import ACTING_ROLES, Action, can, can_move, visible_cases
from .selectors import case_for, case_indicators, case_list_for, case_reports, case_timeline, suggested_reports
from .templatetags.cases_tags import build_triage
from .workflow import MOVES, moves_from

PAGE_SIZE = 25
TIMELINE_LIMIT = 300
RESULTS_TARGET = "case-results"
MAX_NAMED_IN_EXPORT_RECORD = 1000


def _ctx(request) -> AuditContext:
    return AuditContext.from_request(request)


def _case_or_404(user, reference: str) -> Case:
    case = case_for(user, reference)
    if case is None:
        raise Http404
    return case


def _report_or_404(user, reference: str) -> Report:
    report = report_for(user, reference)
    if report is None:
        raise Http404
    return report


def _audit_view(request, case: Case) -> None:
    """Every view of a restricted case is recorded: who looked, when, from where (Đ3.1, Đ17.1)."""
    if case.access_level == AccessLevel.RESTRICTED:
        audit_record(ctx=_ctx(request), action="case.view", obj=case, summary=case.reference)


def may_export(user) -> bool:
    """Exports of a list: focal points, heads and hub coordinators (permissions.can's rule for EXPORT)."""
    return bool(user.is_authenticated and user.organisation_id and user.role in ACTING_ROLES)


# --- The case list ------------------------------------------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def case_list(request):
    """The cases the user may see, filtered, searched, sorted and paged; or the same list exported."""
    user = request.user
    filterset = CaseFilter(request.GET, queryset=case_list_for(user), request=request)
    fmt = request.GET.get("format", "")
    if fmt in {"csv", "xlsx"}:
        return _export(request, filterset, fmt)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "cases": list(page.object_list),
        "can_export": may_export(user),
        "can_open": user.role in ACTING_ROLES,
        "filtered": bool(filterset.active),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == RESULTS_TARGET and not htmx.history_restore_request:
        return render(request, "cases/partials/case_results.html", context)
    return render(request, "cases/list.html", context)


def _export(request, filterset: CaseFilter, fmt: str):
    if not may_export(request.user):
        raise PermissionDenied
    if not filterset.is_valid():
        # A filter that cannot be applied must not widen the export: refuse rather than export more.
        return HttpResponse(
            _("The filters of this list are not valid; correct them and export again."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    qs = filterset.qs
    rows = qs.count()
    # Restricted cases are named in the record: an export is a view of each of them (Đ3.1, Đ17.1).
    restricted = list(
        qs.filter(access_level=AccessLevel.RESTRICTED)
        .order_by("reference")
        .values_list("reference", flat=True)[:MAX_NAMED_IN_EXPORT_RECORD]
    )
    audit_record(
        ctx=_ctx(request),
        action="case.export",
        summary=_("Case list exported (%(format)s, %(rows)d rows)") % {"format": fmt.upper(), "rows": rows},
        data={"format": fmt, "filters": filterset.active, "rows": rows, "restricted": restricted},
    )
    return exports.csv_response(qs) if fmt == "csv" else exports.xlsx_response(qs)


# --- Opening a case from several reports ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    """Open one case from several reports of the inbox (`?reports=REF1,REF2` ticks them)."""
    user = request.user
    if user.role not in ACTING_ROLES:
        raise PermissionDenied
    preselected = [r.strip().upper() for r in request.GET.get("reports", "").split(",") if r.strip()]
    form = CaseNewForm(request.POST if request.method == "POST" else None, user=user, preselected=preselected)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.case_open(
                    reports=form.cleaned_data["reports"], ctx=_ctx(request), **form.service_kwargs()
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code
            else:
                messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
                return redirect("cases:detail", reference=case.reference)
        else:
            status = 400
    return render(request, "cases/new.html", {"form": form}, status=status)


# --- Triage of one report ---------------------------------------------------------------------------------


@login_required
@require_GET
def triage(request, reference: str):
    """The triage panel on a page of its own (the report page includes the same panel)."""
    report = _report_or_404(request.user, reference)
    return render(request, "cases/triage.html", {"report": report})


def _triage_refused(request, report: Report, data, which: str, exc: DomainError | None = None):
    state = build_triage(report, request.user, data=data, errors_in=which)
    form = {"open": state.open_form, "attach": state.attach_form, "close": state.close_form}[which]
    if exc is not None and form is not None:
        form.add_domain_error(exc)
    context = {"report": report, "triage_state": state}
    if request.htmx:
        return render(request, "cases/partials/report_triage.html", context)
    status = exc.status_code if exc is not None else 400
    return render(request, "cases/triage.html", context, status=status)


def _go(request, url: str):
    """After a write: a full page change (htmx follows it with a client-side redirect)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _triage_state(request, reference: str, which: str):
    """The report and its triage panel with the posted form bound; refused when the user may not triage."""
    report = _report_or_404(request.user, reference)
    state = build_triage(report, request.user, data=request.POST, errors_in=which)
    if not state.can_triage:
        if state.in_case or report.status == ReportStatus.CLOSED:
            # Someone triaged it meanwhile: show what happened to it.
            if request.htmx:
                return report, None, HttpResponseClientRefresh()
            return report, None, render(request, "cases/triage.html", {"report": report}, status=409)
        raise PermissionDenied
    return report, state, None


@login_required
@require_POST
def triage_open(request, reference: str):
    """Open a case from this report; the user's organisation leads it."""
    report, state, refused = _triage_state(request, reference, "open")
    if refused:
        return refused
    form = state.open_form
    if not form.is_valid():
        return _triage_refused(request, report, request.POST, "open")
    try:
        case = services.case_open(reports=[report], ctx=_ctx(request), **form.service_kwargs())
    except DomainError as exc:
        return _triage_refused(request, report, request.POST, "open", exc)
    messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
    return _go(request, reverse("cases:detail", args=[case.reference]))


@login_required
@require_POST
def triage_attach(request, reference: str):
    """Attach this report to an open case (a suggested one, or one named by its number)."""
    report, state, refused = _triage_state(request, reference, "attach")
    if refused:
        return refused
    form = state.attach_form
    if not form.is_valid():
        return _triage_refused(request, report, request.POST, "attach")
    case = form.cleaned_data["target"]
    try:
        services.case_attach_reports(case=case, reports=[report], ctx=_ctx(request))
    except DomainError as exc:
        return _triage_refused(request, report, request.POST, "attach", exc)
    messages.success(
        request,
        _("Report %(report)s attached to case %(case)s.") % {"report": report.reference, "case": case.reference},
    )
    return _go(request, reverse("cases:detail", args=[case.reference]))


@login_required
@require_POST
def triage_close(request, reference: str):
    """Close this report without a case: unfounded, duplicate or outside jurisdiction, with a reason."""
    report, state, refused = _triage_state(request, reference, "close")
    if refused:
        return refused
    form = state.close_form
    if not form.is_valid():
        return _triage_refused(request, report, request.POST, "close")
    try:
        services.report_close(
            report=report, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], ctx=_ctx(request)
        )
    except DomainError as exc:
        return _triage_refused(request, report, request.POST, "close", exc)
    messages.success(request, _("Report %(report)s closed.") % {"report": report.reference})
    return _go(request, reverse("intake:detail", args=[report.reference]))


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
    acting_here = user.role in ACTING_ROLES and case.participants.filter(organisation_id=user.organisation_id).exists()
    moves = [m for m in moves_from(case.status) if can_move(user, m.name, case)]
    move_forms = forms.pop("move_forms", {})
    reports = list(case_reports(user, case))
    tasks = list(case.tasks.select_related("organisation", "owner").order_by("done_at", "due_at", "created_at"))
    complete_forms = forms.pop("complete_forms", {})
    for task in tasks:
        task.can_complete = (
            not task.done_at and not secret and may_work and user.organisation_id == task.organisation_id
        )
        task.complete_form = complete_forms.get(task.pk) or TaskCompleteForm(prefix=f"task-{task.pk}")
    linked, hidden_links = _links(user, case)
    context = {
        "case": case,
        "articles": {m.name: m.article for m in MOVES.values()},  # cited beside what each move recorded
        "may_work": may_work,
        "may_manage": may_manage,
        "may_name_people": may_manage or acting_here,
        "moves": [(m, move_forms.get(m.name) or move_form(m.name, case=case, user=user)) for m in moves],
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
        "merged_into_visible": bool(case.merged_into_id)
        and visible_cases(user).filter(pk=case.merged_into_id).exists(),
        "timeline": _timeline(user, case),
        "participant_form": ParticipantForm(case=case, prefix="participant") if may_manage else None,
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
    "tasks": "cases/partials/tasks.html",
    "notes": "cases/partials/notes.html",
    "links": "cases/partials/links.html",
    "secret": "cases/partials/secret.html",
}
# Sections whose content depends on another's: sent along out-of-band when that one changes (a new
# organisation or person can be given a task; the timeline records every change).
DEPENDENT_SECTIONS = {"people": ("tasks",)}
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


@login_required
@require_POST
def participant_add(request, reference: str):
    """Bring an organisation into the case (e.g. the carrier that must verify a subscriber, Đ11.8)."""
    case = _case_or_404(request.user, reference)
    form = ParticipantForm(request.POST, case=case, prefix="participant")
    if not form.is_valid():
        return _refused(request, case, "people", "participant_form", form)
    org = form.cleaned_data["organisation"]
    try:
        services.case_add_participant(case=case, organisation=org, ctx=_ctx(request))
    except DomainError as exc:
        return _refused(request, case, "people", "participant_form", form, exc)
    return _done(request, case, "people", _("%(org)s takes part in the case.") % {"org": org.display_name})


@login_required
@require_POST
def member_add(request, reference: str):
    """Name a person on the case (an assigned officer)."""
    case = _case_or_404(request.user, reference)
    only = None if can(request.user, Action.MANAGE, case) else request.user.organisation_id
    form = MemberForm(request.POST, case=case, prefix="member", only_organisation=only)
    if not form.is_valid():
        return _refused(request, case, "people", "member_form", form)
    person = form.cleaned_data["user"]
    try:
        services.case_add_member(case=case, user=person, ctx=_ctx(request))
    except DomainError as exc:
        return _refused(request, case, "people", "member_form", form, exc)
    return _done(
        request,
        case,
        "people",
        _("%(name)s is named on the case.") % {"name": person.get_full_name() or person.get_username()},
    )


@login_required
@require_POST
def reports_attach(request, reference: str):
    """Attach suggested reports (they share phone numbers, sites or accounts with the case)."""
    case = _case_or_404(request.user, reference)
    form = AttachReportsForm(request.POST, user=request.user)
    if not form.is_valid():
        return _refused(request, case, "reports", "attach_form", form)
    try:
        services.case_attach_reports(case=case, reports=form.cleaned_data["reports"], ctx=_ctx(request))
    except DomainError as exc:
        return _refused(request, case, "reports", "attach_form", form, exc)
    return _done(request, case, "reports", _("Reports attached."))


@login_required
@require_POST
def task_create(request, reference: str):
    """Ask a participating organisation (or one of its people) to do something by a date."""
    case = _case_or_404(request.user, reference)
    form = TaskForm(request.POST, case=case, prefix="task")
    if not form.is_valid():
        return _refused(request, case, "tasks", "task_form", form)
    try:
        services.task_create(case=case, ctx=_ctx(request), **form.service_kwargs())
    except DomainError as exc:
        return _refused(request, case, "tasks", "task_form", form, exc)
    return _done(request, case, "tasks", _("Task created."))


@login_required
@require_POST
def task_complete(request, reference: str, task_id: int):
    """The organisation the task was given to reports it done, with the result."""
    case = _case_or_404(request.user, reference)
    task = Task.objects.filter(case=case, pk=task_id).select_related("case").first()
    if task is None:
        raise Http404
    form = TaskCompleteForm(request.POST, prefix=f"task-{task.pk}")
    if not form.is_valid():
        return _section(request, case, "tasks", status=400, complete_forms={task.pk: form})
    try:
        services.task_complete(task=task, result=form.cleaned_data["result"], ctx=_ctx(request))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _section(request, case, "tasks", status=exc.status_code, complete_forms={task.pk: form})
    return _done(request, case, "tasks", _("Task completed."))


@login_required
@require_POST
def note_add(request, reference: str):
    case = _case_or_404(request.user, reference)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _refused(request, case, "notes", "note_form", form)
    try:
        services.note_add(case=case, text=form.cleaned_data["text"], ctx=_ctx(request))
    except DomainError as exc:
        return _refused(request, case, "notes", "note_form", form, exc)
    return _done(request, case, "notes", _("Note added."))


@login_required
@require_POST
def link_add(request, reference: str):
    """Link a related case (by its number)."""
    case = _case_or_404(request.user, reference)
    form = LinkForm(request.POST, user=request.user, prefix="link")
    if not form.is_valid():
        return _refused(request, case, "links", "link_form", form)
    try:
        services.case_link(case=case, other=form.cleaned_data["case_number"], ctx=_ctx(request))
    except DomainError as exc:
        return _refused(request, case, "links", "link_form", form, exc)
    return _done(request, case, "links", _("Cases linked."))


@login_required
@require_POST
def access_set(request, reference: str):
    """Restrict the case to the people named on it and the heads of its organisations, or lift that."""
    case = _case_or_404(request.user, reference)
    form = AccessForm(request.POST, prefix="access")
    if not form.is_valid():
        return _refused(request, case, "people", "access_form", form)
    try:
        services.case_set_access(case=case, level=form.cleaned_data["access_level"], ctx=_ctx(request))
    except DomainError as exc:
        return _refused(request, case, "people", "access_form", form, exc)
    if request.htmx:
        return HttpResponseClientRedirect(reverse("cases:detail", args=[case.reference]))  # the header changes
    messages.success(request, _("Access changed."))
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def secret_dossier(request, reference: str):
    """Law 29/2018: record the register entry of a state-secret dossier kept off the network."""
    case = _case_or_404(request.user, reference)
    form = SecretDossierForm(request.POST, prefix="dossier")
    if not form.is_valid():
        return _refused(request, case, "secret", "dossier_form", form)
    try:
        services.case_register_secret_dossier(case=case, ctx=_ctx(request), **form.cleaned_data)
    except DomainError as exc:
        return _refused(request, case, "secret", "dossier_form", form, exc)
    messages.success(request, _("The state-secret dossier is registered; the case is now restricted."))
    return _go(request, reverse("cases:detail", args=[case.reference]))


# --- Workflow moves -------------------------------------------------------------------------------------


def _refusal(user, case: Case, name: str) -> DomainError | None:
    """Why `user` may not make move `name` now (the service's own reasons), or None when they may."""
    move = MOVES.get(name)
    if move is None:
        raise Http404
    if case.status not in move.sources:
        return Conflict(
            _("'%(move)s' is not possible while the case is '%(status)s'.")
            % {"move": move.label, "status": CaseStatus(case.status).label}
        )
    if not can_move(user, name, case):
        return Refused(_("You may not '%(move)s' on this case.") % {"move": move.label})
    return None


def _move_page(request, case: Case, form: MoveForm, *, refusal: DomainError | None = None, status: int = 200):
    context = {"case": case, "move": form.move, "form": form, "refusal": refusal}
    if request.htmx and request.method == "POST":
        return render(request, "cases/partials/move_form.html", context)
    return render(request, "cases/move.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def move(request, reference: str, name: str):
    """One workflow move: its form (GET, a page of its own) and the move itself (POST → case_transition)."""
    user = request.user
    case = _case_or_404(user, reference)
    refusal = _refusal(user, case, name)
    if request.method == "GET":
        _audit_view(request, case)
        form = move_form(name, case=case, user=user)
        return _move_page(request, case, form, refusal=refusal, status=refusal.status_code if refusal else 200)
    form = move_form(name, case=case, user=user, data=request.POST)
    if refusal is not None:
        return _move_page(request, case, form, refusal=refusal, status=refusal.status_code)
    if not form.is_valid():
        return _move_page(request, case, form, status=400)
    try:
        case = services.case_transition(case=case, move=name, ctx=_ctx(request), **form.params())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _move_page(request, case, form, status=exc.status_code)
    messages.success(
        request,
        _("Done: %(move)s. The case is now “%(status)s”.")
        % {"move": MOVES[name].label, "status": case.get_status_display()},
    )
    return _go(request, reverse("cases:detail", args=[case.reference]))
