"""Forgeries by someone with full write access to the database: caught by the key and the checkpoints."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from phoihop.audit.checkpoints import audit_checkpoint, audit_verify_against, checkpoint_read, newest_checkpoint
from phoihop.audit.keys import audit_key
from phoihop.audit.models import AuditEvent
from phoihop.audit.services import SYSTEM, PendingEvent, audit_record_many, audit_verify

from .tamper import cut_tail, raw, rehash

pytestmark = pytest.mark.django_db


def _append(n=8):
    pending = [PendingEvent("test.event", "test", str(i), f"event {i}") for i in range(n)]
    return audit_record_many(ctx=SYSTEM, events=pending)


@pytest.mark.parametrize("attacker_key", [None, b"a-guessed-key-that-is-not-the-one"])
def test_deleting_the_last_four_and_rehashing_without_the_key_is_caught_at_the_first_event(attacker_key):
    _append()
    last = AuditEvent.objects.order_by("seq").last().seq
    raw("DELETE FROM audit_auditevent WHERE seq > %s", [last - 4])
    rehash(key=attacker_key)  # every hash recomputed, the head mended: the old SHA-256 chain would say OK

    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 1 and "altered" in report.problem
    with pytest.raises(CommandError, match="BROKEN at event #1:"):
        call_command("audit_verify")


def test_a_forgery_from_the_middle_is_named_where_it_starts():
    events = _append()
    target = events[3].seq
    raw("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", ["nothing happened", target])
    rehash(from_seq=target, key=None)
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == target


def test_a_tail_cut_after_a_checkpoint_is_named_even_with_the_stolen_key():
    _append()
    audit_checkpoint(ctx=SYSTEM)
    checkpoint = checkpoint_read(newest_checkpoint())
    _append(3)
    first_cut = checkpoint.seq - 3
    cut_tail(first_cut)
    rehash(key=audit_key())  # the attacker holds the key: the shortened chain is internally perfect
    assert audit_verify().ok

    report = audit_verify_against(checkpoint=checkpoint)
    assert not report.ok and report.first_bad_seq == first_cut
    assert f"events #{first_cut} to #{checkpoint.seq} removed" in report.problem
    with pytest.raises(CommandError, match=f"BROKEN at event #{first_cut}:"):
        call_command("audit", "verify")  # the newest checkpoint by default


def test_a_rewrite_with_the_stolen_key_before_a_checkpoint_is_caught_at_the_checkpointed_event():
    events = _append()
    path = audit_checkpoint(ctx=SYSTEM)
    raw("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", ["nothing happened", events[2].seq])
    rehash(from_seq=events[2].seq, key=audit_key())
    assert audit_verify().ok

    checkpoint = checkpoint_read(path)
    report = audit_verify_against(checkpoint=checkpoint)
    assert not report.ok and report.first_bad_seq == checkpoint.seq and "rewritten" in report.problem
    with pytest.raises(CommandError, match=f"#{checkpoint.seq}"):
        call_command("audit_verify", checkpoint=str(path))
