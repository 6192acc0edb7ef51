"""E-mail (through the outbox) and in-app notices to a case's organisations when something happens on it."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from phoihop.directory.choices import Role
from phoihop.directory.models import User
from phoihop.inbox.outbox import Outgoing, SendResult, outbox_send_keys, outbox_write
from phoihop.notices.services import NoticeDraft, notices_send

from .models import Case

# What happened, as the subject and the notice say it (the events of cases.services).
EVENTS = {
    "open": _("New case"),
    "participant": _("An organisation joined the case"),
    "participant_remove": _("An organisation left the case"),
    "task": _("New task"),
    "task_done": _("Task done"),
    "task_assigned": _("A task was given to you"),
    "task_unassigned": _("A task of yours was given to someone else"),
    "evidence": _("New files on the case"),
}


def case_event_notify(
    *, case_id: int, event: str, key: str = "", user_ids: list[int] | None = None, only_users: bool = False
) -> SendResult:
    """One message to the focal points of every participating organisation, and to `user_ids` (e.g. the person
    a task was given to); with `only_users`, to those people alone (a task given to someone else is news to
    its new and previous owners, not to every focal point). Restricted cases: only to the people named on the
    case and the heads, and without the title (need to know).

    The message goes through the outbox under `key`, so a retried task neither sends it twice nor rings a
    bell twice; each recipient who has an account also finds it as a notice, and the people of `user_ids`
    without an e-mail address get the notice alone."""
    case = Case.objects.select_related("lead_organisation").filter(pk=case_id).first()
    if case is None:
        return SendResult(0, 0)
    key = key or f"case:{case.pk}:{event}"
    org_ids = list(case.participants.values_list("organisation_id", flat=True))
    people = User.objects.filter(is_active=True).exclude(email="")
    if only_users:
        people = people.none()
    elif case.access_level == "restricted":
        people = people.filter(pk__in=case.members.values("user_id")) | people.filter(
            organisation_id__in=org_ids, role=Role.HEAD
        )
    else:
        people = people.filter(organisation_id__in=org_ids, role__in=[Role.FOCAL_POINT, Role.HUB_COORDINATOR])
    named = User.objects.filter(pk__in=user_ids or [], is_active=True)
    to = sorted(set(people.values_list("email", flat=True)) | {e for e in named.values_list("email", flat=True) if e})
    with translation.override(settings.LANGUAGE_CODE):
        context = {"case": case, "event": event, "event_label": EVENTS.get(event, ""), "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string("cases/email/event_subject.txt", context).split())
        body = render_to_string("cases/email/event.txt", context)
    link = f"/cases/{case.reference}/"
    with transaction.atomic():
        if to:
            outbox_write([Outgoing(key, f"case.{event}", to, subject, body, link=link)])
        without_email = list(named.filter(email="").values_list("pk", flat=True))
        if without_email:
            notices_send(user_ids=without_email, draft=NoticeDraft(key, subject, link=link, kind=f"case.{event}"))
    return outbox_send_keys([key]) if to else SendResult(0, 0)
