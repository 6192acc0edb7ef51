"""Notices are written with the e-mail (same transaction, once per person and key) or directly; read; purged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.core.errors import NotAllowed
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
from phoihop.inbox.outbox import Outgoing, outbox_write
from phoihop.notices.models import Notice
from phoihop.notices.services import (
    NoticeDraft,
    mail_link,
    notice_mark_read,
    notices_mark_all_read,
    notices_send,
    notices_sweep,
    site_path,
)

pytestmark = pytest.mark.django_db

BODY = (
    "Sở Công Thương sent your organisation a request (Đ5.6).\n"
    "\n"
    "Reference: YC-2026-0001\n"
    "Due: 12/12/2026\n"
    "http://127.0.0.1:8000/requests/YC-2026-0001/\n"
)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"


def mail(key: str, recipients: list[str], **extra) -> Outgoing:
    return Outgoing(key, "request_new", recipients, "New request YC-2026-0001", BODY, **extra)


def test_every_person_an_email_goes_to_gets_a_notice_with_its_link(alice, bob, make_person):
    carol = make_person("carol", active=False)
    outbox_write([mail("req:1", ["ALICE@phoihop.example.vn", bob.email, carol.email, "office@dic.example.vn"])])
    notices = {n.user_id: n for n in Notice.objects.all()}
    assert set(notices) == {alice.pk, bob.pk}  # not the inactive person, nothing for an organisation's address
    n = notices[alice.pk]
    assert n.title == "New request YC-2026-0001"
    assert n.link == "/requests/YC-2026-0001/"
    assert n.kind == "request_new" and n.article == "Đ5.6" and n.key == "req:1"
    assert n.text.startswith("Sở Công Thương sent your organisation a request") and "http" not in n.text
    assert n.read_at is None


def test_a_notice_is_written_in_the_transaction_of_the_e_mail(alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_write([mail("req:2", [alice.email])])
        assert Notice.objects.filter(user=alice).count() == 1
        raise RuntimeError("the business change failed")
    assert not Notice.objects.exists()


def test_a_retried_write_adds_no_second_notice(alice):
    outbox_write([mail("req:3", [alice.email])])
    outbox_write([mail("req:3", [alice.email, alice.email.upper()])])
    notices_send(user_ids=[alice.pk], draft=NoticeDraft(key="req:3", title="again"))
    assert Notice.objects.filter(user=alice).count() == 1


def test_the_message_link_wins_and_a_link_elsewhere_is_never_kept(alice, bob):
    outbox_write([mail("req:4", [alice.email], link="/cases/7/")])
    assert Notice.objects.get(user=alice).link == "/cases/7/"
    outbox_write([Outgoing("x:1", "other", [bob.email], "Subject", "See https://evil.example/requests/1/ now")])
    assert Notice.objects.get(user=bob).link == ""
    assert site_path("//evil.example/") == site_path("https://evil.example/a") == site_path("/a b") == ""
    assert mail_link("x http://127.0.0.1:8000/cases/3/, y") == "/cases/3/"


def test_people_without_email_are_told_directly(make_person):
    dan = make_person("dan", email="")
    written = notices_send(
        user_ids=[dan.pk], draft=NoticeDraft(key="task:9", title="A task for you", link="/cases/3/", kind="task")
    )
    assert written == 1
    assert Notice.objects.get(user=dan).link == "/cases/3/"


def test_reading_a_notice_is_the_recipient_s_and_is_recorded_once(alice, bob, tell):
    notice = tell(alice)
    with pytest.raises(NotAllowed):
        notice_mark_read(notice=notice, ctx=AuditContext(actor=bob))
    notice_mark_read(notice=notice, ctx=AuditContext(actor=alice))
    notice_mark_read(notice=Notice.objects.get(pk=notice.pk), ctx=AuditContext(actor=alice))
    assert Notice.objects.get(pk=notice.pk).read_at is not None
    assert AuditEvent.objects.filter(action="notice.read", object_id=str(notice.pk)).count() == 1


def test_mark_all_read_touches_only_my_notices(alice, bob, tell):
    tell(alice), tell(alice), tell(bob)
    assert notices_mark_all_read(ctx=AuditContext(actor=alice)) == 2
    assert not Notice.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notice.objects.filter(user=bob, read_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="notice.read_all").get().data["count"] == 2


def test_the_periodic_sweep_purges_read_notices_older_than_180_days(alice, tell):
    assert notices_sweep in hook_handlers(PERIODIC_SWEEP_HOOK)
    now = timezone.now()
    old_read, old_unread, recent_read = tell(alice), tell(alice), tell(alice)
    Notice.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(created_at=now - dt.timedelta(days=181))
    Notice.objects.filter(pk__in=[old_read.pk, recent_read.pk]).update(read_at=now)
    Notice.objects.filter(pk=recent_read.pk).update(created_at=now - dt.timedelta(days=179))
    assert notices_sweep() == 0
    assert set(Notice.objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk}
    assert AuditEvent.objects.filter(action="notice.purge").get().data["count"] == 1
    notices_sweep()  # nothing more to do: no second event
    assert AuditEvent.objects.filter(action="notice.purge").count() == 1
