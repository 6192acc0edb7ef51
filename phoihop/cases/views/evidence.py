"""Files on a case and on task results (upload, download), removing a participant, and the owner list of a
new task (refreshed by htmx when its organisation changes). Forms shape the input, services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.core.errors import DomainError, NotAllowed, Unavailable

from .. import services
from ..forms import EvidenceForm, RemoveParticipantForm, TaskForm
from ..permissions import Action, can
from .common import _case_or_404, _ctx
from .page import _done, _refused


@login_required
@require_POST
def evidence_add(request, reference: str):
    """Đ11.8, Đ17.1: people of the case's organisations add files; each checked by content, with its SHA-256."""
    case = _case_or_404(request.user, reference)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if not form.is_valid():
        return _refused(request, case, "evidence", "evidence_form", form)
    try:
        rows = services.add_case_evidence(case=case, files=form.cleaned_data["files"], ctx=_ctx(request))
    except DomainError as exc:
        return _refused(request, case, "evidence", "evidence_form", form, exc)
    return _done(
        request,
        case,
        "evidence",
        _("%(n)d file(s) added to the case.") % {"n": len(rows)},
    )


@login_required
@require_GET
def evidence_download(request, reference: str, evidence_id: int):
    """One file of the case, to someone who may see the case (need-to-know); every download is recorded."""
    case = _case_or_404(request.user, reference)
    evidence = services.case_evidence_for(request.user, case, evidence_id)
    if evidence is None:
        raise Http404
    try:
        handle = services.case_evidence_open(evidence=evidence, ctx=_ctx(request))
    except (NotAllowed, Unavailable) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    # Never rendered by the browser as a page of ours: a file is data, whatever it claims to be.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def participant_remove(request, reference: str):
    """Take an organisation off the case, saying why (the lead's focal point or head)."""
    case = _case_or_404(request.user, reference)
    form = RemoveParticipantForm(request.POST, case=case, prefix="remove")
    if not form.is_valid():
        return _refused(request, case, "people", "remove_form", form)
    org = form.cleaned_data["organisation"]
    try:
        done = services.remove_participant(
            case=case, organisation=org, reason=form.cleaned_data["reason"], ctx=_ctx(request)
        )
    except DomainError as exc:
        return _refused(request, case, "people", "remove_form", form, exc)
    message = _("%(org)s no longer takes part in the case.") % {"org": org.display_name}
    if done["tasks"]:
        message += " " + _("Its open tasks were cancelled: %(tasks)s.") % {"tasks": "; ".join(done["tasks"])}
    return _done(request, case, "people", message)


@login_required
@require_GET
def task_owners(request, reference: str):
    """The owner field of a new task, for the organisation chosen (htmx: swapped in when it changes)."""
    case = _case_or_404(request.user, reference)
    if not can(request.user, Action.WORK, case):
        raise Http404
    code = request.GET.get("task-organisation", "")
    form = TaskForm(case=case, prefix="task", initial={"organisation": code})
    return render(request, "cases/partials/field.html", {"field": form["owner"]})
