"""The periodic sweep (Đ18.2, Đ18.1): periods opened, each reminder written once through the outbox, the focal
points before the due date, the head once late; nothing for a party that has submitted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from phoihop.inbox.models import OutboxMessage
from phoihop.reporting.models import Period, ReminderSent
from phoihop.reporting.reminders import reporting_sweep
from phoihop.reporting.services import REPORT_WORKFLOW, conclusion_add, meeting_plan, report_save, report_start

from .conftest import SECTIONS, ctx

pytestmark = pytest.mark.django_db


def _to(key_part: str) -> list[list[str]]:
    return [m.recipients for m in OutboxMessage.objects.filter(dedup_key__contains=key_part)]


def test_reminders_before_the_due_date_and_to_the_head_when_late(period, people, keys, clock, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # 3 July: due on 10 July, 7 days left: the focal points of each party that owes a report are reminded.
    assert reporting_sweep() == 0
    assert Period.objects.filter(code__in=["2026-H1", "2026-H2"]).count() == 2  # current and previous opened
    pc_key = f"reporting:remind:{period.obligations.get(organisation__code='st-pc-vinh-chau').pk}:7"
    assert ReminderSent.objects.filter(key=pc_key).exists()
    assert [m for m in mail.outbox if "vc.focal@phoihop.example.vn" in m.to]
    sent = len(mail.outbox)
    assert reporting_sweep() == 0 and len(mail.outbox) == sent  # once
    # The police submit; on 9 July (1 day left) only those who have not are reminded again.
    obligation = period.obligations.get(organisation__code="st-police")
    report = report_save(
        report=report_start(obligation=obligation, ctx=ctx(people["police_focal"])),
        sections=SECTIONS,
        ctx=ctx(people["police_focal"]),
    )
    REPORT_WORKFLOW.run("sign", obj=report, ctx=ctx(people["police_head"]))
    clock.set(dt.date(2026, 7, 9))
    reporting_sweep()
    assert _to(f"remind:{obligation.pk}:1") == []
    assert _to(f"remind:{period.obligations.get(organisation__code='st-pc-vinh-chau').pk}:1") == [
        ["vc.focal@phoihop.example.vn"]
    ]
    # 11 July: late. The head of the People's Committee is told, once; the police are not.
    clock.set(dt.date(2026, 7, 11))
    reporting_sweep()
    reporting_sweep()
    assert _to(f"late:{period.obligations.get(organisation__code='st-pc-vinh-chau').pk}") == [
        ["vc.head@phoihop.example.vn"]
    ]
    assert _to(f"late:{obligation.pk}") == []


def test_an_unsent_reminder_is_counted_and_kept(period, people, clock, settings):
    settings.EMAIL_BACKEND = "phoihop.reporting.tests.test_reminders.RefusingBackend"
    failed = reporting_sweep()
    assert failed > 0
    waiting = OutboxMessage.objects.filter(dedup_key__startswith="reporting:", sent_at__isnull=True)
    assert waiting.count() == failed
    assert reporting_sweep() == 0  # written once: the outbox's own sender tries again later


def test_follow_ups_of_a_meeting_are_reminded(period, people, keys, clock, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = meeting_plan(
        period=period,
        starts_at=clock.at,
        place="Hội trường Sở",
        agenda="",
        organisations=[people["police_focal"].organisation],
        ctx=ctx(people["dic_head"]),
    )
    assert meeting.invitation.status == "sent" and meeting.invitation.kind == "giay_moi"
    item = conclusion_add(
        meeting=meeting,
        text="Xây dựng quy trình xác minh nhanh",
        ctx=ctx(people["dic_focal"]),
        owner_organisation=people["police_focal"].organisation,
        owner=people["police_focal"],
        due_on=dt.date(2026, 7, 20),
    )
    clock.set(dt.date(2026, 7, 19))
    reporting_sweep()
    assert _to(f"follow-up:{item.pk}:due") == [["police.focal@phoihop.example.vn"]]
    clock.set(dt.date(2026, 7, 21))
    reporting_sweep()
    assert _to(f"follow-up:{item.pk}:late") == [["police.head@phoihop.example.vn"]]


class RefusingBackend:
    """An SMTP server that refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise OSError("connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")
