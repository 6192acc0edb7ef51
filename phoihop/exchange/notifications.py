"""E-mail about requests, through the outbox (phoihop.inbox.outbox): written in the transaction of the change
that calls for it, one row per deduplication key (so a retried write never sends twice), sent after commit.

    new request        to the recipient's focal points (Đ3.3: they receive and coordinate)
    answer             to the sender's focal points and the person who drafted the request
    returned for more  to the recipient's focal points
    reminder           to the recipient's focal points, before the due date (reminders.py)
    escalation         to the recipient's head, once overdue (Đ3.2, Đ3.4; reminders.py)

A message never carries the request's text or files: only its reference, subject and due date, and the link.
A request about a restricted case is announced without its subject.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.inbox.outbox import Outgoing, outbox_write

from .models import Request
from .tasks import send_request_notices

FOCAL_ROLES = (Role.FOCAL_POINT, Role.HUB_COORDINATOR, Role.ENTERPRISE_REPORTER)
HEAD_ROLES = (Role.HEAD,)


def addresses(org_id: int, roles: Iterable[str], *, extra_users: Iterable[int] = ()) -> list[str]:
    """Whom to write to in an organisation: its people in `roles` (and `extra_users`), else its own address."""
    people = User.objects.filter(organisation_id=org_id, role__in=list(roles), is_active=True).exclude(email="")
    found = set(people.values_list("email", flat=True))
    extra = list(extra_users)
    if extra:
        found |= set(
            User.objects.filter(pk__in=extra, is_active=True).exclude(email="").values_list("email", flat=True)
        )
    if not found:
        email = Organisation.objects.filter(pk=org_id).values_list("email", flat=True).first()
        if email:
            found.add(email)
    return sorted(found)


def notice_write(
    *,
    key: str,
    kind: str,
    request: Request,
    org_id: int,
    roles,
    template: str,
    context: dict | None = None,
    extra_users: Iterable[int] = (),
) -> str | None:
    """Queue one message (in the caller's transaction); the key it was written under, None if nobody to tell."""
    to = addresses(org_id, roles, extra_users=extra_users)
    if not to:
        return None
    from .permissions import is_restricted

    data = {
        "request": request,
        "restricted": is_restricted(request),
        "site_url": settings.SITE_URL,
        **(context or {}),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"exchange/email/{template}_subject.txt", data).split())
        body = render_to_string(f"exchange/email/{template}.txt", data)
    outbox_write([Outgoing(key, kind, to, subject, body)])
    return key


def send_on_commit(keys: list[str | None]) -> None:
    """After the transaction commits, a task sends these messages (a failure is retried by the outbox)."""
    wanted = [k for k in keys if k]
    if not wanted:
        return
    transaction.on_commit(lambda: send_request_notices.enqueue(keys=wanted))
