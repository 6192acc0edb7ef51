"""The outbox: e-mail is kept until the SMTP server accepts it, and each message goes out once."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phoihop.inbox.models import OutboxMessage
from phoihop.inbox.outbox import Outgoing, outbox_retry_delay, outbox_send, outbox_write
from phoihop.inbox.tasks import outbox_retry_later, send_outbox

pytestmark = pytest.mark.django_db


class Mailbox:
    def __init__(self, refuse: set[str] | None = None):
        self.messages: list = []
        self.refuse = refuse or set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_port(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return port


@pytest.fixture
def start_smtp(smtp_port):
    controllers = []

    def start(**kwargs) -> Mailbox:
        box = Mailbox(**kwargs)
        controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return box

    yield start
    for controller in controllers:
        controller.stop()


def _write(*keys: str, to: str = "lan@dic.example.vn") -> None:
    with transaction.atomic():
        outbox_write([Outgoing(key, "new_report", [to], f"Subject {key}", f"Body {key}") for key in keys])


def test_smtp_down_keeps_every_message_and_smtp_back_delivers_each_once(start_smtp):
    _write("m:1", "m:2", "m:3")

    down = outbox_send()
    assert (down.sent, down.failed) == (0, 3)
    assert not OutboxMessage.objects.filter(sent_at__isnull=False).exists()  # nothing marked sent
    assert OutboxMessage.objects.count() == 3  # nothing lost
    assert all(m.attempts == 1 and m.last_error for m in OutboxMessage.objects.all())
    assert outbox_retry_delay() is not None

    box = start_smtp()
    back = outbox_send()
    assert (back.sent, back.failed) == (3, 0)
    assert sorted(m["Subject"] for _rcpt, m in box.messages) == ["Subject m:1", "Subject m:2", "Subject m:3"]
    assert outbox_retry_delay() is None

    assert outbox_send().sent == 0  # a retry finds nothing left to send
    _write("m:1", "m:2")  # and writing the same notification again queues nothing new
    assert outbox_send().sent == 0
    assert len(box.messages) == 3


def test_a_message_refused_by_the_server_waits_and_does_not_hold_back_the_others(start_smtp):
    box = start_smtp(refuse={"gone@dic.example.vn"})
    _write("a", to="gone@dic.example.vn")
    _write("b")
    result = outbox_send()
    assert (result.sent, result.failed) == (1, 1)
    assert [m["Subject"] for _rcpt, m in box.messages] == ["Subject b"]
    refused = OutboxMessage.objects.get(dedup_key="a")
    assert refused.sent_at is None and "550" in refused.last_error


def test_a_message_claimed_by_another_sender_is_not_sent_twice(start_smtp):
    box = start_smtp()
    _write("c")
    OutboxMessage.objects.update(claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert outbox_send().sent == 0 and box.messages == []


def test_a_copy_sent_again_after_a_crash_carries_the_same_message_id(start_smtp):
    box = start_smtp()
    _write("d")
    outbox_send()
    OutboxMessage.objects.update(sent_at=None)  # as if the process died between acceptance and marking
    outbox_send()
    first, second = (m["Message-ID"] for _rcpt, m in box.messages)
    assert first == second and first.endswith("@phoihop.example.vn>")


def test_what_the_server_refused_is_tried_again_later_by_the_worker(smtp_port, start_smtp):
    _write("e")
    assert outbox_send().failed == 1
    outbox_retry_later()
    outbox_retry_later()  # one retry queued, not two
    queued = DBTaskResult.objects.filter(task_path=send_outbox.module_path, status="READY")
    assert queued.count() == 1 and queued.get().run_after is not None
    box = start_smtp()
    assert send_outbox.call() == 1 and len(box.messages) == 1


def test_the_periodic_sweep_deletes_messages_sent_more_than_180_days_ago_and_keeps_unsent_ones(start_smtp):
    from phoihop.audit.models import AuditEvent
    from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
    from phoihop.inbox.outbox import outbox_sweep

    assert outbox_sweep in hook_handlers(PERIODIC_SWEEP_HOOK)
    start_smtp(refuse={"gone@dic.example.vn"})
    _write("old-sent", "recent-sent")
    _write("old-failed", to="gone@dic.example.vn")
    assert outbox_send().sent == 2
    _write("old-unsent")
    now = timezone.now()
    rows = OutboxMessage.objects.filter
    rows(dedup_key__startswith="old").update(created_at=now - dt.timedelta(days=181))
    rows(dedup_key="old-sent").update(sent_at=now - dt.timedelta(days=181))
    rows(dedup_key="recent-sent").update(created_at=now - dt.timedelta(days=179), sent_at=now - dt.timedelta(days=179))

    assert outbox_sweep() == 0
    assert set(OutboxMessage.objects.values_list("dedup_key", flat=True)) == {"recent-sent", "old-failed", "old-unsent"}
    assert AuditEvent.objects.filter(action="outbox.purge").get().data["count"] == 1
    outbox_sweep()  # nothing more to do: no second event
    assert AuditEvent.objects.filter(action="outbox.purge").count() == 1


def test_the_outbox_retention_is_a_setting(settings, start_smtp):
    from phoihop.inbox.outbox import outbox_purge

    start_smtp()
    _write("a", "b")
    outbox_send()
    month_ago = timezone.now() - dt.timedelta(days=31)
    OutboxMessage.objects.filter(dedup_key="a").update(created_at=month_ago, sent_at=month_ago)
    settings.PHOIHOP_OUTBOX_RETENTION_DAYS = 30
    assert outbox_purge() == 1
    assert list(OutboxMessage.objects.values_list("dedup_key", flat=True)) == ["b"]
