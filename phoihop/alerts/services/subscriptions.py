"""Newsroom subscriptions (Đ9: the Newspaper and Radio-TV republish warnings): added by an officer (confirmed at
once) or asked for on the public form (confirmed by the link e-mailed to the address: double opt-in)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, Invalid, NotAllowed

from .. import permissions as perm
from ..models import NewsroomSubscription
from ..notify import subscription_confirm_mail


def _clean(email: str, name: str) -> tuple[str, str]:
    email, name = (email or "").strip().lower(), (name or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if not name:
        errors["name"] = [_("Name the newsroom.")]
    elif len(name) > 200:
        errors["name"] = [_("At most %(n)d characters.") % {"n": 200}]
    if errors:
        raise Invalid(errors)
    return email, name


def subscription_request(*, email: str, name: str, ctx: AuditContext) -> NewsroomSubscription:
    """The public form: an unconfirmed subscription and the confirmation e-mail. An address already
    subscribed is told nothing new (the answer is the same, so the form reveals no subscriber)."""
    email, name = _clean(email, name)
    with transaction.atomic():
        sub = NewsroomSubscription.objects.select_for_update().filter(email=email).first()
        if sub is not None and sub.active:
            return sub
        if sub is None:
            sub = NewsroomSubscription.objects.create(email=email, name=name, token=secrets.token_urlsafe(32))
        else:  # unsubscribed or never confirmed: a new link (the old one no longer works)
            sub.name, sub.token, sub.unsubscribed_at, sub.confirmed_at = name, secrets.token_urlsafe(32), None, None
            sub.save()
        subscription_confirm_mail(subscription=sub)
        audit_record(ctx=ctx, action="newsroom.request", obj=sub, summary=name)
    return sub


def subscription_add(*, email: str, name: str, ctx: AuditContext) -> NewsroomSubscription:
    """An officer subscribes a newsroom they know (confirmed at once)."""
    if not perm.may_draft_warning(ctx.actor):
        raise NotAllowed(_("Only the people of a state agency manage newsroom subscriptions."))
    email, name = _clean(email, name)
    with transaction.atomic():
        sub = NewsroomSubscription.objects.select_for_update().filter(email=email).first()
        if sub is not None and sub.active:
            raise Invalid({"email": [_("This address is subscribed already.")]})
        sub = sub or NewsroomSubscription(email=email, token=secrets.token_urlsafe(32))
        sub.name, sub.added_by, sub.confirmed_at, sub.unsubscribed_at = name, ctx.actor, timezone.now(), None
        sub.save()
        audit_record(ctx=ctx, action="newsroom.add", obj=sub, summary=name)
    return sub


def subscription_confirm(*, token: str, ctx: AuditContext) -> NewsroomSubscription:
    with transaction.atomic():
        sub = NewsroomSubscription.objects.select_for_update().filter(token=token).first()
        if sub is None:
            raise Invalid({"token": [_("This link is not valid (any more).")]})
        if sub.unsubscribed_at is not None:
            raise Conflict(_("This subscription was ended; subscribe again."))
        if sub.confirmed_at is None:
            sub.confirmed_at = timezone.now()
            sub.save(update_fields=["confirmed_at"])
            audit_record(ctx=ctx, action="newsroom.confirm", obj=sub, summary=sub.name)
    return sub


def subscription_end(*, token: str, ctx: AuditContext) -> NewsroomSubscription:
    with transaction.atomic():
        sub = NewsroomSubscription.objects.select_for_update().filter(token=token).first()
        if sub is None:
            raise Invalid({"token": [_("This link is not valid (any more).")]})
        if sub.unsubscribed_at is None:
            sub.unsubscribed_at = timezone.now()
            sub.save(update_fields=["unsubscribed_at"])
            audit_record(ctx=ctx, action="newsroom.unsubscribe", obj=sub, summary=sub.name)
    return sub
