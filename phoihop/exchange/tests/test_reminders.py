"""Reminders to the recipient's focal points before the due date and escalation to its head once overdue: each
sent once (a sweep run again sends nothing), in working days (a weekend and Tết are not counted)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from phoihop.audit.models import AuditEvent
from phoihop.cases.tests.factories import make_cast
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
from phoihop.exchange.reminders import periodic_sweep, requests_sweep

from .factories import make_request, move, on_day, recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def sweep(day: dt.date) -> list:
    before = len(mail.outbox)
    with on_day(day, hour=10):
        failed = requests_sweep()
    assert failed == 0
    return mail.outbox[before:]


def test_the_sweep_is_registered_with_the_workers_periodic_hook():
    assert periodic_sweep in hook_handlers(PERIODIC_SWEEP_HOOK)


def test_reminder_then_escalation_each_sent_once(cast):
    # Police → DIC, information request at normal urgency: 7 working days; remind 2 working days before.
    with on_day(dt.date(2026, 12, 4)):  # Friday
        req = make_request(cast.police_focal, ["st-dic"], article="Đ5.5")
    row = recipient(req, "st-dic")
    assert row.due_date == dt.date(2026, 12, 15)  # Tuesday
    assert sweep(dt.date(2026, 12, 10)) == []  # Thursday: 3 working days left
    sent = sweep(dt.date(2026, 12, 11))  # Friday: 2 working days left (Mon 14, Tue 15)
    assert len(sent) == 1
    assert set(sent[0].to) == {cast.dic_focal.email, cast.dic_hub.email}
    assert req.reference in sent[0].subject and cast.dic_head.email not in sent[0].to
    assert sweep(dt.date(2026, 12, 11)) == [] and sweep(dt.date(2026, 12, 15)) == []  # once
    escalated = sweep(dt.date(2026, 12, 16))  # overdue
    assert len(escalated) == 1 and escalated[0].to == [cast.dic_head.email]
    assert sweep(dt.date(2026, 12, 17)) == []  # once
    actions = list(AuditEvent.objects.filter(object_id=str(req.pk), action__in=["request.remind", "request.escalate"]))
    assert [e.action for e in actions] == ["request.remind", "request.escalate"]


def test_an_answered_request_is_neither_reminded_nor_escalated(cast):
    with on_day(dt.date(2026, 12, 4)):
        req = make_request(cast.police_focal, ["st-dic"], article="Đ5.5")
        move(move(recipient(req, "st-dic"), "receive", cast.dic_focal), "answer", cast.dic_focal, text="Đã trả lời")
    assert sweep(dt.date(2026, 12, 11)) == [] and sweep(dt.date(2026, 12, 21)) == []


def test_over_tet_the_reminder_waits_for_working_days(cast):
    # Sent Fri 2027-01-29 at normal urgency: 7 working days = Mon 1 .. Wed 3 Feb, then Tết (4–10), then Thu 11,
    # Fri 12, Mon 15, Tue 16: due Tue 16 February. Two working days before is Fri 12 February, not during Tết.
    with on_day(dt.date(2027, 1, 29)):
        req = make_request(cast.police_focal, ["st-dic"], article="Đ5.5")
    assert recipient(req, "st-dic").due_date == dt.date(2027, 2, 16)
    for day in (dt.date(2027, 2, 3), dt.date(2027, 2, 8), dt.date(2027, 2, 11)):
        assert sweep(day) == [], day
    assert len(sweep(dt.date(2027, 2, 12))) == 1


def test_a_request_returned_for_more_gets_a_new_due_date_and_a_new_reminder(cast):
    with on_day(dt.date(2026, 12, 4)):
        req = make_request(cast.police_focal, ["st-dic"], article="Đ5.5")
    assert len(sweep(dt.date(2026, 12, 11))) == 1
    with on_day(dt.date(2026, 12, 14)):
        row = move(recipient(req, "st-dic"), "receive", cast.dic_focal)
        row = move(row, "answer", cast.dic_focal, text="Trả lời")
        before = len(mail.outbox)
        row = move(row, "return", cast.police_focal, reason="Cần thêm nhật ký")
    assert row.due_date == dt.date(2026, 12, 23)  # 7 working days after Mon 14 December
    assert sweep(dt.date(2026, 12, 16)) == []
    again = sweep(dt.date(2026, 12, 21))
    assert len(again) == 1 and len(mail.outbox) > before


def test_a_refused_message_is_counted_and_sent_by_a_later_run_once(cast, monkeypatch):
    from phoihop.inbox.models import OutboxMessage

    with on_day(dt.date(2026, 12, 4)):
        make_request(cast.police_focal, ["st-dic"], article="Đ5.5")
    OutboxMessage.objects.all().update(sent_at=dt.datetime(2026, 12, 4, tzinfo=dt.UTC))  # the notices went

    def refuse(self, messages):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with on_day(dt.date(2026, 12, 11), hour=10):
        assert requests_sweep() == 1
    monkeypatch.undo()
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 1 and waiting.get().attempts == 1
    assert sweep(dt.date(2026, 12, 11)) == []  # the sweep writes nothing twice; the outbox retries it
    from phoihop.inbox.outbox import outbox_send

    assert outbox_send().sent == 1 and outbox_send().sent == 0
