"""`phoihop audit checkpoint` writes a private, authenticated checkpoint of the head; a task does it daily."""

import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phoihop.audit.checkpoints import checkpoint_read, newest_checkpoint
from phoihop.audit.models import AuditChainHead, AuditEvent
from phoihop.audit.services import SYSTEM, PendingEvent, audit_record_many
from phoihop.audit.tasks import audit_checkpoint_daily, schedule_checkpoints
from phoihop.core.errors import Invalid

from .tamper import raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return audit_record_many(ctx=SYSTEM, events=[PendingEvent("test.event", "test", str(i)) for i in range(3)])


def test_the_checkpoint_holds_the_head_and_is_private(events, _checkpoints_in_tmp):
    head = AuditChainHead.objects.get()
    call_command("audit", "checkpoint")
    path = newest_checkpoint()
    assert path.parent == _checkpoints_in_tmp and stat.S_IMODE(path.stat().st_mode) == 0o600
    doc = json.loads(path.read_text())
    assert (doc["seq"], doc["hash"]) == (head.seq, head.hash) and len(doc["hmac"]) == 64
    assert checkpoint_read(path).seq == head.seq
    logged = AuditEvent.objects.get(action="audit.checkpoint")
    assert logged.data == {"seq": head.seq, "hash": head.hash, "file": path.name}
    call_command("audit", "verify")


def test_out_writes_where_asked_and_verify_reads_it(events, tmp_path):
    out = tmp_path / "elsewhere.json"
    call_command("audit_checkpoint", out=str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and newest_checkpoint() is None
    call_command("audit", "verify", checkpoint=str(out))


def test_an_edited_checkpoint_is_refused(events, tmp_path):
    out = tmp_path / "cp.json"
    call_command("audit_checkpoint", out=str(out))
    doc = json.loads(out.read_text())
    doc["seq"] -= 1  # pretend the log was shorter when checkpointed
    out.write_text(json.dumps(doc))
    with pytest.raises(Invalid, match="altered"):
        checkpoint_read(out)
    with pytest.raises(CommandError, match="REFUSED"):
        call_command("audit_verify", checkpoint=str(out))


def test_a_checkpoint_made_with_another_key_is_refused(events, tmp_path, monkeypatch):
    out = tmp_path / "cp.json"
    call_command("audit_checkpoint", out=str(out))
    monkeypatch.setenv("AUDIT_HMAC_KEY", "x" * 40)
    with pytest.raises(Invalid, match="another audit key"):
        checkpoint_read(out)


def test_a_broken_chain_is_not_checkpointed(events):
    raw("UPDATE audit_auditevent SET summary = %s WHERE seq = %s", ["nothing happened", events[1].seq])
    with pytest.raises(CommandError, match=f"BROKEN at event #{events[1].seq}"):
        call_command("audit", "checkpoint")
    assert newest_checkpoint() is None


def test_the_daily_task_checkpoints_and_queues_its_next_run_a_day_later(events):
    path = audit_checkpoint_daily.call()
    assert checkpoint_read(path).seq == events[-1].seq
    [queued] = DBTaskResult.objects.filter(task_path=audit_checkpoint_daily.module_path, status="READY")
    assert queued.run_after > timezone.now() + timezone.timedelta(hours=23)


def test_starting_twice_queues_the_daily_checkpoint_once():
    schedule_checkpoints()
    schedule_checkpoints()
    assert DBTaskResult.objects.filter(task_path=audit_checkpoint_daily.module_path, status="READY").count() == 1


def test_with_cryptography_the_checkpoint_is_also_signed_with_ed25519(events, tmp_path):
    pytest.importorskip("cryptography")
    out = tmp_path / "cp.json"
    call_command("audit_checkpoint", out=str(out))
    doc = json.loads(out.read_text())
    assert len(doc["ed25519"]["signature"]) == 128
    doc["ed25519"]["signature"] = "00" * 64
    out.write_text(json.dumps(doc))
    with pytest.raises(Invalid, match="bad signature"):
        checkpoint_read(out)
