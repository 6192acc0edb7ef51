"""E-mail to the focal points of a case's organisations when something happens on it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from phoihop.directory.choices import Role
from phoihop.directory.models import User

from .models import Case


def case_event_notify(*, case_id: int, event: str) -> int:
    """One message to the focal points of every participating organisation. Restricted cases: only to
    the people named on the case and the heads, and without the title (need to know)."""
    case = Case.objects.select_related("lead_organisation").filter(pk=case_id).first()
    if case is None:
        return 0
    org_ids = list(case.participants.values_list("organisation_id", flat=True))
    people = User.objects.filter(is_active=True).exclude(email="")
    if case.access_level == "restricted":
        people = people.filter(pk__in=case.members.values("user_id")) | people.filter(
            organisation_id__in=org_ids, role=Role.HEAD
        )
    else:
        people = people.filter(organisation_id__in=org_ids, role__in=[Role.FOCAL_POINT, Role.HUB_COORDINATOR])
    to = sorted(set(people.values_list("email", flat=True)))
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"case": case, "event": event, "site_url": settings.SITE_URL}
        subject = render_to_string("cases/email/event_subject.txt", context).strip()
        body = render_to_string("cases/email/event.txt", context)
    with get_connection() as connection:
        connection.send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, bcc=to)])
    return len(to)
