"""Writes of public warnings (Đ9): drafting (from a case or from scratch) and correcting a draft.

Submitting, approving (publishing), returning and withdrawing are moves of WARNING_WORKFLOW (workflow.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, Invalid, NotAllowed

from .. import permissions as perm
from ..choices import WarningStatus
from ..models import PublicWarning, WarningImage
from .files import check_files
from .indicators import indicator_rows, parse_indicators

LIMITS = {"title": 200, "summary": 600, "method": 20000, "protection": 20000}


@dataclass
class WarningInput:
    title: str
    summary: str
    method: str
    protection: str
    indicators: str = ""
    images: list = field(default_factory=list)
    image_alts: list[str] = field(default_factory=list)  # one description per image, in order
    remove_images: list[int] = field(default_factory=list)


def slug_for(title: str) -> str:
    """An ASCII address from a Vietnamese title ("Cảnh báo giả danh" -> "canh-bao-gia-danh"), made unique."""
    text = title.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = slugify(text)[:100].strip("-") or "canh-bao"
    slug = base
    while PublicWarning.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def _check(data: WarningInput) -> list:
    errors: dict[str, list[str]] = {}
    required = {
        "title": _("Give the warning a title."),
        "summary": _("Write a short summary (it is shown in lists and feeds)."),
        "method": _("Describe how the scam works."),
        "protection": _("Say how people can protect themselves."),
    }
    for name, message in required.items():
        value = getattr(data, name).strip()
        if not value:
            errors[name] = [message]
        elif len(value) > LIMITS[name]:
            errors[name] = [_("At most %(n)d characters.") % {"n": LIMITS[name]}]
    if len(data.image_alts) < len([i for i in data.images if i is not None]) or any(
        not a.strip() for a in data.image_alts[: len(data.images)]
    ):
        errors["image_alt"] = [_("Describe each image in a few words (for people who cannot see it).")]
    try:
        keys = parse_indicators(data.indicators)
    except Invalid as exc:
        errors.update(exc.errors)
        keys = []
    if errors:
        raise Invalid(errors)
    return keys


def _images(warning: PublicWarning, data: WarningInput, files) -> None:
    alts = [a.strip()[:300] for a in data.image_alts]
    WarningImage.objects.bulk_create(
        [WarningImage(warning=warning, alt=alts[i], **f.row_fields()) for i, f in enumerate(files)]
    )


def warning_create(*, data: WarningInput, ctx: AuditContext, case=None) -> PublicWarning:
    """A draft warning of the actor's organisation (from `case` when given, which the actor must see)."""
    user = ctx.actor
    if not perm.may_draft_warning(user):
        raise NotAllowed(_("Only the people of a state agency draft public warnings."))
    keys = _check(data)
    files = check_files(data.images, field="images", images_only=True)
    with transaction.atomic():
        warning = PublicWarning.objects.create(
            slug=slug_for(data.title),
            title=data.title.strip(),
            summary=data.summary.strip(),
            method=data.method.strip(),
            protection=data.protection.strip(),
            organisation_id=user.organisation_id,
            case=case,
            created_by=user,
        )
        warning.indicators.set(indicator_rows(keys))
        _images(warning, data, files)
        audit_record(
            ctx=ctx,
            action="warning.create",
            obj=warning,
            summary=warning.title,
            data={"case": case.reference if case else "", "images": len(files), "indicators": len(keys)},
        )
    return warning


def warning_update(*, warning: PublicWarning, data: WarningInput, ctx: AuditContext) -> PublicWarning:
    """Correct a draft (or a returned warning): its text, indicators and images; its address stays."""
    keys = _check(data)
    files = check_files(data.images, field="images", images_only=True)
    with transaction.atomic():
        locked = PublicWarning.objects.select_for_update().get(pk=warning.pk)
        if not perm.can_warning(ctx.actor, perm.Action.EDIT, locked):
            if locked.status in {WarningStatus.DRAFT, WarningStatus.RETURNED}:
                raise NotAllowed(_("You may not change this warning."))
            raise Conflict(_("Only a draft or a returned warning can be changed."))
        locked.title, locked.summary = data.title.strip(), data.summary.strip()
        locked.method, locked.protection = data.method.strip(), data.protection.strip()
        locked.save(update_fields=["title", "summary", "method", "protection", "updated_at"])
        locked.indicators.set(indicator_rows(keys))
        removed, _n = locked.images.filter(pk__in=data.remove_images).delete()
        if locked.images.count() + len(files) > 10:
            raise Invalid({"images": [_("At most %(n)d images.") % {"n": 10}]})
        _images(locked, data, files)
        audit_record(
            ctx=ctx,
            action="warning.update",
            obj=locked,
            summary=locked.title,
            data={"images_added": len(files), "images_removed": removed, "indicators": len(keys)},
        )
    return locked
