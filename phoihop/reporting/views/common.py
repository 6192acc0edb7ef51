"""What the reporting pages share: the audit context, fetching through the permission scope, workflow moves."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import DomainError
from phoihop.core.permissions import scope
from phoihop.core.workflow import Workflow


def ctx(request) -> AuditContext:
    return AuditContext.from_request(request)


def fetch(request, model, **lookup):
    """The object through the user's permission scope; out of scope (or absent) is a 404."""
    obj = scope(request.user, model).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def run_move(request, workflow: Workflow, obj, name: str, *, back: str):
    """A workflow move posted from a page: its form shapes the input, the move decides; refusals are shown."""
    move = workflow.get(name) if name in workflow else None
    if move is None:
        raise Http404
    form = move.form(obj=obj, user=request.user, data=request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}")
        return redirect(back)
    try:
        workflow.run(name, obj=obj, data=form.cleaned_data, ctx=ctx(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(request, _("Done: %(move)s.") % {"move": move.label})
    return redirect(back)


def move_forms(workflow: Workflow, user, obj) -> list[tuple]:
    """The moves `user` may make on `obj` now, each with its (unbound) form, for the page."""
    return [(m, m.form(obj=obj, user=user)) for m in workflow.available(user, obj)]
