"""The audit log is append-only and hash-chained; `phoihop audit verify` names the first bad event."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM, PendingEvent, audit_record_many, audit_verify

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
