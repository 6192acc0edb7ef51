"""The writes of the case page's sections: participants, people, reports, tasks, notes, links, access and
the state-secret dossier. Forms shape the input, services decide; a refusal shows beside the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from phoihop.core.errors import DomainError

from .. import services
from ..forms import (
    AccessForm,
    AttachReportsForm,
    LinkForm,
    MemberForm,
    NoteForm,
    ParticipantForm,
    SecretDossierForm,
    TaskCompleteForm,
    TaskForm,
    TaskReassignForm,
)
from ..models import Task
from ..permissions import Action, can
from .common import _case_or_404, _ctx, _go
from .page import _done, _refused, _section


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
    """The organisation the task was given to reports it done, with the result and its files, if any."""
    case = _case_or_404(request.user, reference)
    task = Task.objects.filter(case=case, pk=task_id).select_related("case").first()
    if task is None:
        raise Http404
    form = TaskCompleteForm(request.POST, request.FILES, prefix=f"task-{task.pk}")
    if not form.is_valid():
        return _section(request, case, "tasks", status=400, complete_forms={task.pk: form})
    try:
        services.task_complete(
            task=task, result=form.cleaned_data["result"], files=form.cleaned_data["files"], ctx=_ctx(request)
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _section(request, case, "tasks", status=exc.status_code, complete_forms={task.pk: form})
    return _done(request, case, "tasks", _("Task completed."))


@login_required
@require_POST
def task_reassign(request, reference: str, task_id: int):
    """Give an open task to another person of the organisation it was given to (who may: as for a new task)."""
    case = _case_or_404(request.user, reference)
    task = Task.objects.filter(case=case, pk=task_id).select_related("case", "owner").first()
    if task is None:
        raise Http404
    form = TaskReassignForm(request.POST, task=task, secret=case.has_secret_dossier, prefix=f"reassign-{task.pk}")
    if not form.is_valid():
        return _section(request, case, "tasks", status=400, reassign_forms={task.pk: form})
    try:
        task = services.task_reassign(task=task, ctx=_ctx(request), **form.service_kwargs())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _section(request, case, "tasks", status=exc.status_code, reassign_forms={task.pk: form})
    name = task.owner.get_full_name() or task.owner.get_username()
    return _done(request, case, "tasks", _("The task is now given to %(name)s.") % {"name": name})


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
