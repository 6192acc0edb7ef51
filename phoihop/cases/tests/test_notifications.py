"""What happens on a case reaches its people: e-mail through the outbox and a notice in the bell (issue 13)."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from phoihop.cases.services import task_create
from phoihop.cases.tasks import notify_case_event
from phoihop.inbox.models import OutboxMessage
from phoihop.notices.models import Notice

from .factories import ctx, make_cast, open_case, org, submit_report
from .factories import run_queued_case_events as _run_queued_case_events

pytestmark = pytest.mark.django_db


def test_a_task_given_to_someone_rings_their_bell_and_mails_the_focal_points_once():
    cast = make_cast()
    case = open_case(cast.dic_focal, submit_report(), participants=["st-viettel"])
    DBTaskResult.objects.all().delete()  # the case's opening is not what this test is about
    mail.outbox.clear()

    task_create(
        case=case,
        title="Khoá thuê bao 0912 345 678",
        organisation=org("st-viettel"),
        owner=cast.viettel,
        ctx=ctx(cast.dic_focal),
    )
    [run] = _run_queued_case_events()

    notice = Notice.objects.get(user=cast.viettel)
    assert notice.link == f"/cases/{case.reference}/" and notice.read_at is None
    assert case.reference in notice.title
    message = OutboxMessage.objects.get(dedup_key=run["key"])
    assert cast.viettel.email in message.recipients and cast.dic_focal.email in message.recipients
    assert message.sent_at is not None
    assert len(mail.outbox) == 1 and case.reference in mail.outbox[0].subject

    # The worker died after sending and runs the task again: nothing is written or sent twice.
    notify_case_event.call(**run)
    assert Notice.objects.filter(user=cast.viettel).count() == 1
    assert OutboxMessage.objects.filter(dedup_key=run["key"]).count() == 1
    assert len(mail.outbox) == 1


def test_a_person_without_an_e_mail_address_still_finds_the_task_in_the_bell():
    cast = make_cast()
    case = open_case(cast.dic_focal, submit_report(), participants=["st-viettel"])
    cast.viettel.email = ""
    cast.viettel.save(update_fields=["email"])
    DBTaskResult.objects.all().delete()

    task_create(
        case=case,
        title="Cung cấp thông tin thuê bao",
        organisation=org("st-viettel"),
        owner=cast.viettel,
        ctx=ctx(cast.dic_focal),
    )
    _run_queued_case_events()
    assert Notice.objects.filter(user=cast.viettel, link=f"/cases/{case.reference}/").count() == 1
