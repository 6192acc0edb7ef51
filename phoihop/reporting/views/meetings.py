"""Review meetings (Đ18.1): plan with the invitation, record the minutes, conclusions and their follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core.errors import DomainError
from phoihop.directory.models import Organisation

from ..forms import ConclusionForm, MeetingForm, apply_errors
from ..models import Conclusion, Period, ReviewMeeting
from ..permissions import conclusions_for, may_manage, meetings_for
from ..services import FOLLOW_UP_WORKFLOW, MEETING_WORKFLOW, conclusion_add, meeting_plan
from .common import ctx, fetch, move_forms, run_move


@login_required
@require_GET
def meeting_list(request):
    user = request.user
    meetings = meetings_for(user).select_related("period", "invitation").order_by("-starts_at")
    follow_ups = (
        conclusions_for(user)
        .filter(owner_organisation__isnull=False)
        .select_related("meeting__period", "owner_organisation", "owner")
    )
    if not may_manage(user):
        follow_ups = follow_ups.filter(owner_organisation_id=user.organisation_id)
    return render(
        request,
        "reporting/meetings.html",
        {"meetings": meetings, "follow_ups": follow_ups.order_by("status", "due_on"), "manage": may_manage(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, code: str):
    period = fetch(request, Period, code=code)
    if not may_manage(request.user):
        raise Http404
    initial = {"organisations": Organisation.objects.filter(pk__in=period.obligations.values("organisation_id"))}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_plan(period=period, **form.cleaned_data, ctx=ctx(request))
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting was planned and its invitation prepared."))
            return redirect("reporting:meeting", pk=meeting.pk)
    return render(
        request, "reporting/meeting_new.html", {"form": form, "period": period}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk: int):
    user = request.user
    meeting = fetch(request, ReviewMeeting, pk=pk)
    participants = Organisation.objects.filter(pk__in=meeting.participants.values("organisation_id"))
    form = ConclusionForm(request.POST or None, participants=participants) if may_manage(user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                conclusion_add(meeting=meeting, **form.cleaned_data, ctx=ctx(request))
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The conclusion was recorded."))
                return redirect("reporting:meeting", pk=meeting.pk)
    conclusions = [
        (c, move_forms(FOLLOW_UP_WORKFLOW, user, c))
        for c in meeting.conclusions.select_related("owner_organisation", "owner")
    ]
    return render(
        request,
        "reporting/meeting.html",
        {
            "meeting": meeting,
            "participants": meeting.participants.select_related("organisation"),
            "conclusions": conclusions,
            "form": form,
            "moves": move_forms(MEETING_WORKFLOW, user, meeting),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def meeting_move(request, pk: int, move: str):
    meeting = fetch(request, ReviewMeeting, pk=pk)
    return run_move(request, MEETING_WORKFLOW, meeting, move, back=reverse("reporting:meeting", args=[meeting.pk]))


@login_required
@require_POST
def follow_up_move(request, pk: int, move: str):
    item = fetch(request, Conclusion, pk=pk)
    return run_move(request, FOLLOW_UP_WORKFLOW, item, move, back=reverse("reporting:meeting", args=[item.meeting_id]))
