"""Đ3.3, Đ17.2: hand-over records (biên bản giao nhận) between the sender and a recipient of a request."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.directory.models import Organisation

from .. import events
from .. import permissions as perm
from ..choices import AttachmentPurpose
from ..files import check_files, discard_files, store_files
from ..inputs import HandoverItemInput
from ..models import Attachment, Handover, HandoverItem, Request

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_ITEMS = 200


def handover_record(
    *,
    request: Request,
    from_organisation: Organisation | None,
    to_organisation: Organisation | None,
    handed_by: str,
    received_by: str,
    handed_at: dt.datetime | None,
    place: str,
    ctx: AuditContext,
    items: list[HandoverItemInput] | None = None,
    files: list[Any] | None = None,
    note: str = "",
) -> Handover:
    """Record who handed what to whom, when and where; each item with its SHA-256 (taken here for a file)."""
    if not perm.may_record_handover(ctx.actor, request):
        raise NotAllowed(_("Only the sender and the recipients of a sent request record its hand-overs."))
    items = list(items or [])
    errors: dict[str, list[str]] = {}
    parties = {request.sender_id, *request.recipients.values_list("organisation_id", flat=True)}
    if from_organisation is None or from_organisation.pk not in parties:
        errors["from_organisation"] = [_("Choose the sender or a recipient of the request.")]
    if to_organisation is None or to_organisation.pk not in parties:
        errors["to_organisation"] = [_("Choose the sender or a recipient of the request.")]
    elif from_organisation is not None and from_organisation.pk == to_organisation.pk:
        errors["to_organisation"] = [_("An organisation does not hand over to itself.")]
    elif request.sender_id not in {getattr(from_organisation, "pk", None), to_organisation.pk}:
        errors["to_organisation"] = [_("One side of a hand-over is the request's sender.")]
    if ctx.actor is not None and ctx.actor.organisation_id not in {
        getattr(from_organisation, "pk", None),
        getattr(to_organisation, "pk", None),
    }:
        errors.setdefault("from_organisation", []).append(_("Your organisation must be one side of the hand-over."))
    for name, value in (("handed_by", handed_by), ("received_by", received_by), ("place", place)):
        if not value.strip():
            errors[name] = [_("This field is required.")]
    if handed_at is None:
        errors["handed_at"] = [_("Give the day and time of the hand-over.")]
    elif handed_at > timezone.now() + dt.timedelta(minutes=5):
        errors["handed_at"] = [_("A hand-over is recorded once done: the time cannot be in the future.")]
    elif request.sent_at and handed_at < request.sent_at - dt.timedelta(days=1):
        errors["handed_at"] = [_("The hand-over cannot be before the request was sent.")]
    for i, item in enumerate(items, start=1):
        if not item.description.strip():
            errors.setdefault("items", []).append(_("Item %(n)d: say what was handed over.") % {"n": i})
        if not SHA256.match(item.sha256.strip().lower()):
            errors.setdefault("items", []).append(_("Item %(n)d: the SHA-256 is 64 hexadecimal characters.") % {"n": i})
    if not items and not files:
        errors["items"] = [_("List at least one item, or attach the files handed over.")]
    if len(items) > MAX_ITEMS:
        errors["items"] = [_("At most %(n)d items.") % {"n": MAX_ITEMS}]
    uploads = []
    if not errors:
        try:
            uploads = check_files(files)
        except Invalid as exc:
            errors.update(exc.errors)
    if errors:
        raise Invalid(errors)
    stored = store_files(uploads)
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                request=request,
                from_organisation=from_organisation,
                to_organisation=to_organisation,
                handed_by=handed_by.strip()[:200],
                received_by=received_by.strip()[:200],
                handed_at=handed_at,
                place=place.strip()[:200],
                note=note.strip(),
                recorded_by=ctx.actor,
            )
            rows = [
                HandoverItem(
                    handover=handover,
                    description=i.description.strip()[:300],
                    sha256=i.sha256.strip().lower(),
                    size=i.size,
                )
                for i in items
            ]
            for s in stored:
                attachment = Attachment.objects.create(
                    request=request,
                    purpose=AttachmentPurpose.HANDOVER,
                    file=s.name,
                    original_name=s.upload.name,
                    content_type=s.upload.content_type,
                    size=s.upload.size,
                    sha256=s.upload.sha256,
                    uploaded_by=ctx.actor,
                )
                rows.append(
                    HandoverItem(
                        handover=handover,
                        description=s.upload.name,
                        sha256=s.upload.sha256,
                        size=s.upload.size,
                        attachment=attachment,
                    )
                )
            HandoverItem.objects.bulk_create(rows)
            events.record(
                ctx,
                request,
                "handover",
                f"{from_organisation.code} → {to_organisation.code}",
                items=[f"{r.description} {r.sha256}" for r in rows],
            )
    except BaseException:
        discard_files(stored)
        raise
    return handover
