"""Đ18.1: the review meeting: planned with its invitation (giấy mời) to the parties, held with minutes and
attendance, and its conclusions, each of which may become a follow-up with an owner and a deadline."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow
from phoihop.directory.models import Organisation, User

from ..choices import FollowUpStatus, MeetingStatus
from ..models import Conclusion, MeetingParticipant, Period, ReviewMeeting
from ..permissions import may_manage, writes_for
from .signing import sign_invitation


def meeting_plan(
    *,
    period: Period,
    starts_at: dt.datetime | None,
    place: str,
    agenda: str,
    organisations: list[Organisation],
    ctx: AuditContext,
) -> ReviewMeeting:
    """Plan the review meeting of a period and issue its invitation to the parties (giấy mời, Đ3.2)."""
    user = ctx.actor
    if not may_manage(user):
        raise NotAllowed(_("Only the convenor of the review (the DIC) plans its meetings."))
    errors: dict[str, list[str]] = {}
    if starts_at is None:
        errors["starts_at"] = [_("Give the date and time of the meeting.")]
    if not (place or "").strip():
        errors["place"] = [_("Give the place of the meeting.")]
    if not organisations:
        errors["organisations"] = [_("Choose the parties invited.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        meeting = ReviewMeeting.objects.create(
            period=period,
            convenor_id=user.organisation_id,
            starts_at=starts_at,
            place=place.strip(),
            agenda=(agenda or "").strip(),
            created_by=user,
        )
        MeetingParticipant.objects.bulk_create(
            [MeetingParticipant(meeting=meeting, organisation=o) for o in organisations]
        )
        meeting.invitation = sign_invitation(meeting=meeting, organisations=organisations, ctx=ctx)
        meeting.save(update_fields=["invitation"])
        audit_record(
            ctx=ctx,
            action="reporting.meeting_plan",
            obj=meeting,
            data={"article": "Đ18.1", "invited": [o.code for o in organisations]},
        )
    return meeting


def conclusion_add(
    *,
    meeting: ReviewMeeting,
    text: str,
    ctx: AuditContext,
    owner_organisation: Organisation | None = None,
    owner: User | None = None,
    due_on: dt.date | None = None,
) -> Conclusion:
    """A conclusion of the meeting; with an owner organisation it is a follow-up that needs a deadline."""
    if not may_manage(ctx.actor):
        raise NotAllowed(_("Only the convenor of the review (the DIC) records its conclusions."))
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["text"] = [_("Write the conclusion.")]
    if owner_organisation is not None and due_on is None:
        errors["due_on"] = [_("A follow-up needs a deadline.")]
    if due_on is not None and owner_organisation is None:
        errors["owner_organisation"] = [_("A deadline needs an organisation that owns the follow-up.")]
    if owner is not None and owner.organisation_id != getattr(owner_organisation, "pk", None):
        errors["owner"] = [_("The owner must work for the owner organisation.")]
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = [_("The deadline is in the past.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        item = Conclusion.objects.create(
            meeting=meeting, text=text.strip(), owner_organisation=owner_organisation, owner=owner, due_on=due_on
        )
        audit_record(
            ctx=ctx,
            action="reporting.conclusion_add",
            obj=item,
            data={"owner": getattr(owner_organisation, "code", ""), "due_on": str(due_on or "")},
        )
    return item


# --- Lifecycles: the meeting is held (minutes); a follow-up is done (result) or re-opened --------------------


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=gettext_lazy("Minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    attended = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Parties that attended"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, move=None, obj=None, user=None, **kwargs):
        super().__init__(data, **kwargs)
        if obj is not None:
            self.fields["attended"].queryset = Organisation.objects.filter(
                pk__in=obj.participants.values("organisation_id")
            ).order_by("code")


class Hold(Move):
    """Đ18.1: the meeting took place; its minutes and who attended are recorded."""

    name, label, article = "hold", gettext_lazy("Record the minutes"), "Đ18.1"
    sources, target = frozenset({MeetingStatus.PLANNED}), MeetingStatus.HELD
    requires = ("minutes",)
    form_class = MinutesForm

    def allowed(self, user, obj) -> bool:
        return may_manage(user)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.minutes = str(data["minutes"]).strip()
        came = {o.pk for o in data.get("attended") or []}
        for p in obj.participants.all():
            p.attended = p.organisation_id in came
            p.save(update_fields=["attended"])
        return ["minutes"]


class ResultForm(forms.Form):
    result = forms.CharField(label=gettext_lazy("Result"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, move=None, obj=None, user=None, **kwargs):
        super().__init__(data, **kwargs)


def _owner_or_convenor(user, item: Conclusion) -> bool:
    return may_manage(user) or bool(item.owner_organisation_id and writes_for(user, item.owner_organisation_id))


class Complete(Move):
    name, label, article = "complete", gettext_lazy("Mark as done"), "Đ18.1"
    sources, target = frozenset({FollowUpStatus.OPEN}), FollowUpStatus.DONE
    requires = ("result",)
    form_class = ResultForm

    def allowed(self, user, obj) -> bool:
        return obj.is_task and _owner_or_convenor(user, obj)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.result, obj.done_at = str(data["result"]).strip(), timezone.now()
        return ["result", "done_at"]


class ConfirmForm(forms.Form):
    def __init__(self, data=None, *, move=None, obj=None, user=None, **kwargs):
        super().__init__(data, **kwargs)


class Reopen(Move):
    name, label, article = "reopen", gettext_lazy("Re-open"), "Đ18.1"
    sources, target = frozenset({FollowUpStatus.DONE}), FollowUpStatus.OPEN
    form_class = ConfirmForm

    def allowed(self, user, obj) -> bool:
        return obj.is_task and may_manage(user)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.done_at = None
        return ["done_at"]


def _record(ctx, obj, action: str, summary: str, data: dict) -> None:
    audit_record(ctx=ctx, action=action, obj=obj, summary=summary, data=data)


MEETING_WORKFLOW = Workflow("reporting.meeting", [Hold()], record=_record)
FOLLOW_UP_WORKFLOW = Workflow("reporting.follow_up", [Complete(), Reopen()], record=_record)
