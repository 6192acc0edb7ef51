"""Requests: drafted (with recipients, links and files), moved through their workflows (workflow.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.core.permissions import scope
from phoihop.intake.models import Report

from .. import events
from .. import permissions as perm
from ..choices import ARTICLES, AttachmentPurpose, RequestKind, RequestStatus, Urgency
from ..files import StoredFile, check_files, discard_files, store_files
from ..inputs import RequestInput
from ..models import Attachment, Recipient, Request
from ..workflow import RECIPIENT_WORKFLOW, REQUEST_WORKFLOW

MAX_RECIPIENTS = 50
MAX_DUE_DAYS = 366


def _validate(user, data: RequestInput, *, sender_id: int) -> dict[str, list[str]]:
    """Every problem of the input, by field (all of them at once, so the form shows them together)."""
    errors: dict[str, list[str]] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in RequestKind.values:
        bad("kind", _("Choose the kind of request."))
    if data.urgency not in Urgency.values:
        bad("urgency", _("Choose the urgency."))
    if not data.subject.strip():
        bad("subject", _("Give the subject."))
    elif len(data.subject) > 300:
        bad("subject", _("At most 300 characters."))
    if data.article not in ARTICLES:
        bad("article", _("Choose the article of the regulation the request rests on."))
    if not data.body.strip():
        bad("body", _("Say what is asked."))
    recipients = list(data.recipients)
    today = timezone.localdate()
    if not recipients:
        bad("recipients", _("Choose at least one recipient organisation."))
    elif len(recipients) > MAX_RECIPIENTS:
        bad("recipients", _("At most %(n)d recipient organisations.") % {"n": MAX_RECIPIENTS})
    elif len({o.pk for o in recipients}) != len(recipients):
        bad("recipients", _("An organisation is chosen twice."))
    else:
        for org in recipients:
            if org.pk == sender_id:
                bad("recipients", _("An organisation does not send a request to itself."))
            elif not org.is_valid_on(today) or not perm.may_receive_requests(org):
                bad("recipients", _("%(org)s cannot receive requests.") % {"org": org.display_name})
    if data.due_date is not None:
        if data.due_date <= today:
            bad("due_date", _("The due date must be after today."))
        elif (data.due_date - today).days > MAX_DUE_DAYS:
            bad("due_date", _("The due date must be within a year."))
    if data.case is not None and not perm.may_link_case(user, data.case):
        bad("case", _("Choose a case you may see."))
    if data.report is not None and not scope(user, Report).filter(pk=data.report.pk).exists():
        bad("report", _("Choose a report you may see."))
    return errors


def _attach(request: Request, stored: list[StoredFile], ctx: AuditContext, *, purpose: str) -> list[Attachment]:
    uploader = ctx.actor if getattr(ctx.actor, "pk", None) else None
    return Attachment.objects.bulk_create(
        [
            Attachment(
                request=request,
                purpose=purpose,
                file=s.name,
                original_name=s.upload.name,
                content_type=s.upload.content_type,
                size=s.upload.size,
                sha256=s.upload.sha256,
                uploaded_by=uploader,
            )
            for s in stored
        ]
    )


def request_create(*, data: RequestInput, ctx: AuditContext, send: bool = False) -> Request:
    """Draft a request from the actor's organisation (and send it at once when `send`); nothing is kept if
    any field is wrong: the error names every wrong field."""
    user = ctx.actor
    if not perm.may_draft(user):
        raise NotAllowed(_("Your account may not draft requests."))
    errors = _validate(user, data, sender_id=user.organisation_id)
    uploads = []
    if not errors:
        try:
            uploads = check_files(data.files)
        except Invalid as exc:
            errors.update(exc.errors)
    if errors:
        raise Invalid(errors)
    stored = store_files(uploads)
    try:
        with transaction.atomic():
            request = Request.objects.create(
                kind=data.kind,
                sender_id=user.organisation_id,
                created_by=user,
                subject=data.subject.strip(),
                article=data.article,
                body=data.body.strip(),
                case=data.case,
                report=data.report,
                urgency=data.urgency,
                due_date=data.due_date,
            )
            request.reference = f"YC-{timezone.localtime(request.created_at):%Y}-{request.pk:06d}"
            request.save(update_fields=["reference"])
            Recipient.objects.bulk_create([Recipient(request=request, organisation=o) for o in data.recipients])
            files = _attach(request, stored, ctx, purpose=AttachmentPurpose.REQUEST)
            events.record(
                ctx,
                request,
                "create",
                request.reference,
                kind=request.kind,
                article=request.article,
                recipients=[o.code for o in data.recipients],
                case=data.case.reference if data.case else "",
                files=[f"{a.original_name} {a.sha256}" for a in files],
            )
            if send:
                request = REQUEST_WORKFLOW.run("send", obj=request, ctx=ctx)
    except BaseException:
        discard_files(stored)
        raise
    return request


def request_update(*, request: Request, data: RequestInput, ctx: AuditContext) -> Request:
    """Change a draft (its recipients included); files given are added to those already attached."""
    user = ctx.actor
    if not perm.can(user, perm.Action.EDIT, request):
        raise NotAllowed(_("Only a draft may be changed, by its sender."))
    errors = _validate(user, data, sender_id=request.sender_id)
    uploads = []
    if not errors:
        try:
            uploads = check_files(data.files)
        except Invalid as exc:
            errors.update(exc.errors)
    if errors:
        raise Invalid(errors)
    stored = store_files(uploads)
    try:
        with transaction.atomic():
            locked = Request.objects.select_for_update().get(pk=request.pk)
            if locked.status != RequestStatus.DRAFT:
                raise Invalid({"": [_("The request was sent meanwhile; reload it.")]})
            for name in ("kind", "subject", "article", "body", "case", "report", "urgency", "due_date"):
                value = getattr(data, name)
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
            locked.save()
            wanted = {o.pk for o in data.recipients}
            locked.recipients.exclude(organisation_id__in=wanted).delete()
            have = set(locked.recipients.values_list("organisation_id", flat=True))
            Recipient.objects.bulk_create([Recipient(request=locked, organisation_id=pk) for pk in wanted - have])
            _attach(locked, stored, ctx, purpose=AttachmentPurpose.REQUEST)
            events.record(ctx, locked, "update", locked.reference, recipients=sorted(o.code for o in data.recipients))
    except BaseException:
        discard_files(stored)
        raise
    return locked


def request_move(*, request: Request, move: str, ctx: AuditContext, **data: Any) -> Request:
    """A move of the request (send, withdraw): refused with a reason and nothing changed, or done."""
    return REQUEST_WORKFLOW.run(move, obj=request, data=data, ctx=ctx)


def recipient_move(*, recipient: Recipient, move: str, ctx: AuditContext, **data: Any) -> Recipient:
    """A move of one recipient's handling (receive, assign, answer, accept, return, close, withdraw). Files of
    an answer are checked by content and stored before the move; refused, nothing of them is kept."""
    spec = RECIPIENT_WORKFLOW.get(move)
    spec.check(ctx.actor, recipient, data)  # a refusal before any file is stored
    files = data.pop("files", None) or []
    stored = store_files(check_files(files)) if files else []
    try:
        payload = {**data, "stored": stored} if move == "answer" else data
        return RECIPIENT_WORKFLOW.run(move, obj=recipient, data=payload, ctx=ctx)
    except BaseException:
        discard_files(stored)
        raise
