"""Notices are written with the e-mail (same transaction, once per person and key) or directly; read; purged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import AuditContext
from phoihop.core.errors import NotAllowed
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
from phoihop.notices.models import Notice
from phoihop.notices.services import (
    NoticeDraft,
    notice_mark_read,
    notices_mark_all_read,
    notices_send,
    notices_sweep,
)

pytestmark = pytest.mark.django_db


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
