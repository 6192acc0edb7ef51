"""Difficulties and proposals (Đ19), the rule sets' changelog, and awareness activities (Đ4.1, Đ5.3, Đ9)."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core.errors import DomainError
from phoihop.rulesets.models import RuleSet

from ..choices import ActivityKind, DifficultyStatus
from ..forms import ActivityForm, DifficultyForm, apply_errors
from ..models import AwarenessActivity, Difficulty
from ..permissions import active, activities_for, difficulties_for
from ..services import DIFFICULTY_WORKFLOW, activity_record, difficulty_raise
from .common import ctx, fetch, move_forms, run_move

PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def difficulty_list(request):
    """Đ19: the difficulties the user may see, and the form to record one."""
    user = request.user
    if not active(user):
        raise Http404
    form = DifficultyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = difficulty_raise(**form.cleaned_data, ctx=ctx(request))
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The difficulty was recorded; the DIC will answer it."))
            return redirect("reporting:difficulty", pk=item.pk)
    items = difficulties_for(user).select_related("organisation", "ruleset")
    status = request.GET.get("status", "")
    if status in DifficultyStatus.values:
        items = items.filter(status=status)
    page = Paginator(items, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/difficulties.html",
        {"form": form, "page": page, "status": status, "statuses": DifficultyStatus.choices},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def difficulty_detail(request, pk: int):
    item = fetch(request, Difficulty, pk=pk)
    return render(
        request,
        "reporting/difficulty.html",
        {"item": item, "moves": move_forms(DIFFICULTY_WORKFLOW, request.user, item)},
    )


@login_required
@require_POST
def difficulty_move(request, pk: int, move: str):
    item = fetch(request, Difficulty, pk=pk)
    return run_move(request, DIFFICULTY_WORKFLOW, item, move, back=reverse("reporting:difficulty", args=[item.pk]))


@login_required
@require_GET
def ruleset_changes(request):
    """Đ19: each rule set's versions and what each load changed, with the accepted proposals pointing at it."""
    if not active(request.user):
        raise Http404
    sets = []
    for ruleset in RuleSet.objects.order_by("effective_from"):
        proposals = difficulties_for(request.user).filter(ruleset=ruleset).select_related("organisation")
        sets.append((ruleset, ruleset.loads.order_by("-loaded_at")[:20], proposals))
    return render(request, "reporting/rulesets.html", {"sets": sets})


@login_required
@require_http_methods(["GET", "POST"])
def activity_list(request):
    """Đ4.1, Đ5.3, Đ9: awareness activities, and the form to record one of the user's organisation."""
    user = request.user
    if not active(user):
        raise Http404
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        try:
            activity_record(**data, upload=upload, ctx=ctx(request))
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("reporting:activities")
    items = activities_for(user).select_related("organisation")
    kind = request.GET.get("kind", "")
    if kind in ActivityKind.values:
        items = items.filter(kind=kind)
    page = Paginator(items, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/activities.html",
        {"form": form, "page": page, "kind": kind, "kinds": ActivityKind.choices},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def activity_file(request, pk: int):
    item = fetch(request, AwarenessActivity, pk=pk)
    if not item.file:
        raise Http404
    content_type = item.file_type or mimetypes.guess_type(item.file_name)[0] or "application/octet-stream"
    return FileResponse(
        default_storage.open(item.file.name, "rb"),
        as_attachment=True,
        filename=item.file_name or "file",
        content_type=content_type,
    )
