"""The audit log is append-only and hash-chained; `phoihop audit verify` names the first bad event."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM, AuditContext, PendingEvent, audit_reads, audit_record_many, audit_verify

from .tamper import raw

pytestmark = pytest.mark.django_db


def _append(n=5):
    return audit_record_many(
        ctx=SYSTEM, events=[PendingEvent("test.event", "test", str(i), f"event {i}", {"i": i}) for i in range(n)]
    )


def test_a_fresh_chain_verifies():
    _append()
    report = audit_verify()
    assert report.ok and report.checked == AuditEvent.objects.count()
    call_command("audit_verify")


def test_altering_an_event_is_caught_and_named():
    events = _append()
    target = events[2]
    raw("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", ["nothing happened", target.seq])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == target.seq and "altered" in report.problem
    with pytest.raises(CommandError, match=f"#{target.seq}"):
        call_command("audit_verify")


def test_removing_an_event_is_caught():
    events = _append()
    raw("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == events[1].seq and "missing" in report.problem


def test_removing_the_last_events_is_caught():
    events = _append()
    raw("DELETE FROM audit_auditevent WHERE seq >= %s", [events[-2].seq])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == events[-2].seq


def test_the_database_refuses_updates_and_deletes():
    _append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(summary="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()


def test_reads_of_restricted_objects_are_recorded_one_event_each_with_the_door():
    reader = get_user_model().objects.create_user(username="reader")
    seen = [get_user_model().objects.create_user(username=f"seen-{i}") for i in range(2)]
    ctx = AuditContext(actor=reader, ip_address="192.0.2.1", label="api:key-1")
    audit_reads(ctx=ctx, action="user.view", objs=seen, via="api", data={"page": 1})
    events = AuditEvent.objects.filter(action="user.view").order_by("seq")
    assert [(e.object_type, e.object_id, e.summary) for e in events] == [
        ("directory.user", str(u.pk), u.username) for u in seen
    ]
    assert all(e.data == {"page": 1, "via": "api"} and e.actor_label == "api:key-1" for e in events)
    assert audit_reads(ctx=ctx, action="user.view", objs=[], via="api") == []
