"""Awareness activities (Đ4.1, Đ5.3, Đ9): each party records its campaigns, articles, broadcasts and training."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.intake.uploads import check_upload

from ..choices import ActivityKind
from ..models import AwarenessActivity
from ..permissions import active

EARLIEST = dt.date(2013, 4, 18)  # the regulation came into force (Đ2 of the Decision)


def activity_record(
    *,
    kind: str,
    title: str,
    held_on: dt.date | None,
    audience: str,
    ctx: AuditContext,
    audience_size: int | None = None,
    link: str = "",
    upload=None,
) -> AwarenessActivity:
    """Record one activity of the actor's organisation; a file is checked by its content and kept only if the
    activity is written (a refusal leaves no file behind)."""
    user = ctx.actor
    if not active(user):
        raise NotAllowed(_("Only the parties' people record awareness activities."))
    errors: dict[str, list[str]] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = [_("Choose a kind of activity.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the activity a title.")]
    if held_on is None:
        errors["held_on"] = [_("Give the date of the activity.")]
    elif not EARLIEST <= held_on <= timezone.localdate():
        errors["held_on"] = [_("The date must be between 18/04/2013 and today.")]
    if not (audience or "").strip():
        errors["audience"] = [_("Say who the activity was for.")]
    if audience_size is not None and audience_size < 0:
        errors["audience_size"] = [_("A number of people cannot be negative.")]
    checked = None
    if upload is not None:
        try:
            checked = check_upload(upload)
        except Invalid as exc:
            errors["file"] = [str(exc.message)]
    if errors:
        raise Invalid(errors)
    stored = ""
    if checked is not None:
        upload.seek(0)
        stored = default_storage.save(
            f"reporting/activities/{timezone.localdate():%Y}/{checked.sha256}{checked.suffix}", upload
        )
    try:
        with transaction.atomic():
            activity = AwarenessActivity.objects.create(
                organisation_id=user.organisation_id,
                kind=kind,
                title=title.strip()[:300],
                held_on=held_on,
                audience=audience.strip()[:300],
                audience_size=audience_size,
                link=(link or "").strip(),
                file=stored,
                file_name=checked.name if checked else "",
                file_type=checked.content_type if checked else "",
                created_by=user,
            )
            audit_record(
                ctx=ctx,
                action="reporting.activity_record",
                obj=activity,
                data={"article": "Đ4.1", "kind": kind, "file": bool(stored)},
            )
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    return activity
