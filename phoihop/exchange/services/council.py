"""Đ5.6: the expert-assessment council the DIC forms to answer an assessment request, its sessions and the
conclusion it adopts (which the answer then carries back to the requester)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.documents.choices import DocumentKind
from phoihop.documents.models import Document

from .. import events
from .. import permissions as perm
from ..choices import AWAITING_ANSWER, CouncilRole
from ..inputs import MemberInput
from ..models import Council, CouncilMember, CouncilSession, Recipient
from ..replies import check_document


def _check_member(member: MemberInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if member.role not in CouncilRole.values:
        errors["role"] = [_("Choose the member's role in the council.")]
    if member.user is None and not member.name.strip():
        errors["name"] = [_("Choose a person of the directory or name an outside expert.")]
    if member.user is not None and not member.user.is_active:
        errors["user"] = [_("This account is no longer active.")]
    return errors


def _member_row(council: Council, m: MemberInput) -> CouncilMember:
    user = m.user
    return CouncilMember(
        council=council,
        user=user,
        name=(m.name.strip() or (user.get_full_name() if user else "") or (user.get_username() if user else ""))[:200],
        position=m.position.strip()[:200],
        affiliation=(m.affiliation.strip() or (user.organisation.name_vi if user and user.organisation else ""))[:300],
        role=m.role,
    )


def council_form(*, recipient: Recipient, decision_ref: str, members: list[MemberInput], ctx: AuditContext) -> Council:
    """Đ5.6: form the council for an assessment request the actor's organisation received."""
    if not perm.may_form_council(ctx.actor, recipient):
        raise NotAllowed(_("Only the organisation asked for the assessment forms its council."))
    if recipient.status not in AWAITING_ANSWER - {"sent"}:
        raise Conflict(_("Acknowledge receipt of the request before forming the council."))
    errors: dict[str, list[str]] = {}
    if not members:
        errors["members"] = [_("Name the council's members.")]
    for m in members:
        for key, messages in _check_member(m).items():
            errors.setdefault(key, []).extend(messages)
    if sum(1 for m in members if m.role == CouncilRole.CHAIR) != 1:
        errors.setdefault("members", []).append(_("A council has exactly one chair."))
    users = [m.user.pk for m in members if m.user is not None]
    if len(users) != len(set(users)):
        errors.setdefault("members", []).append(_("A person is named twice."))
    if errors:
        raise Invalid(errors)
    try:
        with transaction.atomic():
            locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
            if Council.objects.filter(recipient=locked).exists():
                raise Conflict(_("The council of this request is already formed."))
            council = Council.objects.create(
                recipient=locked, decision_ref=decision_ref.strip()[:100], formed_by=ctx.actor
            )
            CouncilMember.objects.bulk_create([_member_row(council, m) for m in members])
            events.record(
                ctx,
                recipient.request,
                "council_form",
                decision_ref,
                organisation=recipient.organisation.code,
                members=[f"{m.role}: {m.user.get_username() if m.user else m.name}" for m in members],
            )
    except IntegrityError as exc:  # the same council formed twice at once
        raise Conflict(_("The council of this request is already formed.")) from exc
    return council


def _may_run(ctx: AuditContext, council: Council) -> None:
    if not perm.may_form_council(ctx.actor, council.recipient):
        raise NotAllowed(_("Only the organisation asked for the assessment runs its council."))
    if Council.objects.filter(pk=council.pk, adopted_at__isnull=False).exists():
        raise Conflict(_("The council has adopted its conclusion; it is closed."))


def council_member_add(*, council: Council, member: MemberInput, ctx: AuditContext) -> CouncilMember:
    """Add a member (a chair only if there is none)."""
    _may_run(ctx, council)
    errors = _check_member(member)
    if errors:
        raise Invalid(errors)
    try:
        with transaction.atomic():
            row = _member_row(council, member)
            row.save()
            events.record(ctx, council.recipient.request, "council_member", row.name, role=row.role)
    except IntegrityError as exc:
        raise Invalid({"user": [_("This person is already a member, or the council already has a chair.")]}) from exc
    return row


def council_session_record(
    *, council: Council, held_on: dt.date | None, place: str, attendees: str, minutes: str, ctx: AuditContext
) -> CouncilSession:
    """Record a session of the council (a day that has come; where; who attended; what it examined)."""
    _may_run(ctx, council)
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("Give the day of the session.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("A session is recorded once held: the day cannot be in the future.")]
    elif held_on < timezone.localtime(council.formed_at).date():
        errors["held_on"] = [_("The session cannot be before the council was formed.")]
    for name, value in (("place", place), ("attendees", attendees), ("minutes", minutes)):
        if not value.strip():
            errors[name] = [_("This field is required.")]
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        session = CouncilSession.objects.create(
            council=council,
            held_on=held_on,
            place=place.strip()[:200],
            attendees=attendees.strip(),
            minutes=minutes.strip(),
            recorded_by=ctx.actor,
        )
        events.record(ctx, council.recipient.request, "council_session", str(held_on), place=session.place)
    return session


def council_adopt(*, council: Council, conclusion: str, document: Document | None, ctx: AuditContext) -> Council:
    """The council adopts its conclusion, after at least one session, as a document of the kind "kết luận giám
    định" signed by the head and addressed to the requester; the answer then carries it back (Đ5.6)."""
    _may_run(ctx, council)
    errors: dict[str, list[str]] = {}
    if not conclusion.strip():
        errors["conclusion"] = [_("Write the council's conclusion.")]
    if document is None:
        errors["conclusion_document"] = [_("Choose the signed conclusion document.")]
    if errors:
        raise Invalid(errors)
    if not council.sessions.exists():
        raise Conflict(_("Record the session in which the council examined the matter first."))
    assert document is not None
    check_document(ctx.actor, council.recipient, document, field="conclusion_document", kind=DocumentKind.ASSESSMENT)
    with transaction.atomic():
        locked = Council.objects.select_for_update().get(pk=council.pk)
        if locked.adopted_at is not None:
            raise Conflict(_("The council has adopted its conclusion; it is closed."))
        locked.conclusion, locked.adopted_at = conclusion.strip(), timezone.now()
        locked.conclusion_document = document
        locked.save(update_fields=["conclusion", "adopted_at", "conclusion_document"])
        events.record(
            ctx,
            council.recipient.request,
            "council_adopt",
            document.reference or document.summary[:100],
            document=document.pk,
        )
    return locked
