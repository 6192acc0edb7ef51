"""Reminders past the deadline to the enterprise's focal points, then escalation to its head: each once, however
often the periodic sweep runs; what the SMTP server refused waits and is counted as failed."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from phoihop.cases.tests.factories import ctx
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
from phoihop.core.workdays import add_working_days
from phoihop.countermeasures.models import Countermeasure
from phoihop.countermeasures.notifications import countermeasures_sweep, reminders_write
from phoihop.countermeasures.services import countermeasure_move
from phoihop.inbox.models import OutboxMessage

from .conftest import request_block

pytestmark = pytest.mark.django_db


def _late(world, days: int = 1) -> Countermeasure:
    cm = request_block(world)
    Countermeasure.objects.filter(pk=cm.pk).update(due_on=timezone.localdate() - dt.timedelta(days=days))
    return Countermeasure.objects.get(pk=cm.pk)


def test_the_sweep_is_registered():
    assert countermeasures_sweep in hook_handlers(PERIODIC_SWEEP_HOOK)


def test_a_late_measure_is_recalled_once_to_the_focal_points_then_escalated_once_to_the_head(world):
    cm = _late(world, days=1)
    mail.outbox.clear()
    assert countermeasures_sweep() == 0
    reminder = OutboxMessage.objects.get(dedup_key=f"cm.reminder:{cm.pk}")
    assert reminder.sent_at is not None and world.cast.viettel.email in reminder.recipients
    assert world.viettel_head.email not in reminder.recipients
    # Again and again: nothing more (escalation only `escalate_after_working_days` after the deadline).
    countermeasures_sweep()
    countermeasures_sweep()
    assert OutboxMessage.objects.filter(dedup_key__startswith="cm.reminder:").count() == 1
    assert not OutboxMessage.objects.filter(dedup_key__startswith="cm.escalation:").exists()
    # Past the escalation day (1 working day after the deadline in soctrang-2013): the head, once.
    later = add_working_days(cm.due_on, 1) + dt.timedelta(days=1)
    assert reminders_write(today=later) == 1
    assert reminders_write(today=later + dt.timedelta(days=3)) == 0
    escalation = OutboxMessage.objects.get(dedup_key=f"cm.escalation:{cm.pk}")
    assert escalation.recipients == [world.viettel_head.email]
    countermeasures_sweep()
    assert OutboxMessage.objects.filter(dedup_key__startswith="cm.").exclude(sent_at__isnull=False).count() == 0


def test_nothing_is_recalled_before_the_deadline_nor_once_answered(world):
    cm = request_block(world)
    Countermeasure.objects.filter(pk=cm.pk).update(due_on=timezone.localdate())
    assert reminders_write() == 0  # due today: not late yet
    countermeasure_move(
        countermeasure=cm, move="refuse", ctx=ctx(world.cast.viettel), data={"reason": "Không thuộc mạng Viettel"}
    )
    Countermeasure.objects.filter(pk=cm.pk).update(due_on=timezone.localdate() - dt.timedelta(days=5))
    assert reminders_write() == 0  # answered: nothing to recall
    assert not OutboxMessage.objects.filter(dedup_key__startswith="cm.reminder:").exists()


def test_a_refused_message_waits_and_is_counted(world, monkeypatch):
    _late(world)

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x": (550, b"no")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert countermeasures_sweep() == 2  # the request's notice and the reminder both wait
    waiting = OutboxMessage.objects.get(dedup_key__startswith="cm.reminder:")
    assert waiting.sent_at is None and waiting.attempts == 1
    monkeypatch.undo()
    assert countermeasures_sweep() == 0
    waiting.refresh_from_db()
    assert waiting.sent_at is not None
