"""Audit of signing in and out and of every change made through the Django admin (connected in apps.py).

Sign-in, sign-out and failed sign-in come from django.contrib.auth's signals (with the request, hence the
client's address); a failed sign-in records the username attempted, never the password. Admin changes
come from the LogEntry the admin saves for each addition, change and deletion: the model, the object,
the action flag and the change message, plus the new values of the fields it names (secrets left out),
so a role change says which role was given.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation
from django.utils.text import capfirst

from .middleware import request_ip
from .services import AuditContext, PendingEvent, audit_record, audit_record_many, client_ip

FLAG_NAMES = {ADDITION: "addition", CHANGE: "change", DELETION: "deletion"}
SECRET_PARTS = ("password", "secret", "hash", "key", "token")
USERNAME_MAX = 150

# Set while the audited bulk delete runs: it records the deletions itself (Django logs several at once
# with bulk_create, which sends no post_save).
_in_bulk_delete: ContextVar[bool] = ContextVar("audit_in_bulk_delete", default=False)


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else request_ip()


# --- Signing in and out ------------------------------------------------------------------------------------
def on_logged_in(sender, request, user, **kwargs) -> None:
    ctx = AuditContext(actor=user, ip_address=_ip(request))
    audit_record(ctx=ctx, action="auth.login", obj=user, summary=user.get_username())


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None or not getattr(user, "pk", None):
        return  # signing out without having signed in changes nothing
    ctx = AuditContext(actor=user, ip_address=_ip(request))
    audit_record(ctx=ctx, action="auth.logout", obj=user, summary=user.get_username())


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Only the username is kept; Django has already masked the password, and it is not read here anyway."""
    model = get_user_model()
    username = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")[:USERNAME_MAX]
    known = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    audit_record(
        ctx=AuditContext(ip_address=_ip(request), label="public"),
        action="auth.login_failed",
        obj=known,
        summary=username,
        data={"username": username, "known_user": known is not None},
    )


# --- Changes through the Django admin ------------------------------------------------------------------
def _is_secret(name: str) -> bool:
    return any(part in name.lower() for part in SECRET_PARTS)


def _changed_values(entry) -> dict[str, Any]:
    """New values of the fields the change message names (the admin stores their English labels)."""
    try:
        messages = json.loads(entry.change_message or "[]")
        obj = entry.get_edited_object()
    except (ValueError, AttributeError, ObjectDoesNotExist):
        return {}
    labels = {
        str(label)
        for message in messages
        if isinstance(message, dict) and "object" not in message.get("changed", {})  # not an inline's
        for label in message.get("changed", {}).get("fields", [])
    }
    values: dict[str, Any] = {}
    with translation.override(None):
        for field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]:
            if str(capfirst(field.verbose_name)) not in labels or _is_secret(field.name):
                continue
            if field.many_to_many:
                values[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
            else:
                values[field.name] = field.value_to_string(obj)
    return values


def _admin_event(entry) -> PendingEvent:
    model = entry.content_type.model_class() if entry.content_type_id else None
    label = model._meta.label_lower if model else ""
    flag = FLAG_NAMES.get(entry.action_flag, str(entry.action_flag))
    data = {
        "model": label,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "action_flag": entry.action_flag,
        "flag": flag,
        "change_message": entry.get_change_message() if entry.change_message else "",
    }
    if entry.action_flag == CHANGE:
        data["values"] = _changed_values(entry)
    return PendingEvent("admin.change", label, str(entry.object_id or ""), f"{flag}: {entry.object_repr}", data)


def on_admin_log_entry(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw or _in_bulk_delete.get():
        return
    with translation.override(None):  # the change message in English, whoever's language is active
        event = _admin_event(instance)
    audit_record_many(ctx=AuditContext(actor=instance.user, ip_address=request_ip()), events=[event])


@wraps(delete_selected)
def audited_delete_selected(modeladmin, request, queryset):
    """Django's "delete selected" action, with one audit event per deleted object."""
    confirmed = bool(request.POST.get("post"))
    doomed = [(o._meta.label_lower, str(o.pk), str(o)[:200]) for o in queryset] if confirmed else []
    token = _in_bulk_delete.set(True)
    try:
        response = delete_selected(modeladmin, request, queryset)
    finally:
        _in_bulk_delete.reset(token)
    if response is None and doomed:  # None: deleted (otherwise the confirmation page was shown)
        events = [
            PendingEvent(
                "admin.change",
                label,
                pk,
                f"deletion: {text}",
                {"model": label, "object_id": pk, "object_repr": text, "action_flag": DELETION, "flag": "deletion"},
            )
            for label, pk, text in doomed
        ]
        audit_record_many(ctx=AuditContext(actor=request.user, ip_address=client_ip(request)), events=events)
    return response
