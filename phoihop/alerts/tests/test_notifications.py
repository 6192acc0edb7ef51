"""E-mail through the outbox: the advisory's notice, reminders (each once per interval, none after the
acknowledgement), the newsrooms' e-mail of a published warning (once, only confirmed, unsubscribe link)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from phoihop.alerts.models import Advisory, AdvisoryKindRule, AdvisoryRecipient, NewsroomSubscription
from phoihop.alerts.notify import advisory_reminders_sweep
from phoihop.alerts.services import (
    advisory_acknowledge,
    subscription_add,
    subscription_confirm,
    subscription_end,
    subscription_request,
    warning_move,
)
from phoihop.core.errors import Invalid
from phoihop.core.registry import PERIODIC_SWEEP_HOOK, hook_handlers
from phoihop.inbox.models import OutboxMessage
from phoihop.inbox.outbox import outbox_send

from .factories import advisory_to_carriers, ctx, published_warning

pytestmark = pytest.mark.django_db


def _age(advisory: Advisory, hours: float) -> None:
    """Pretend it was sent `hours` ago (and any reminder as long ago too)."""
    past = timezone.now() - dt.timedelta(hours=hours)
    Advisory.objects.filter(pk=advisory.pk).update(sent_at=past)
    AdvisoryRecipient.objects.filter(advisory=advisory, last_reminded_at__isnull=False).update(last_reminded_at=past)


def reminders(advisory) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(dedup_key__startswith=f"alerts.advisory:{advisory.pk}:")
        .exclude(dedup_key__endswith=":0")
        .values_list("dedup_key", flat=True)
    )


def test_the_sweep_is_registered():
    assert advisory_reminders_sweep in hook_handlers(PERIODIC_SWEEP_HOOK)


def test_recipients_are_told_when_it_is_sent(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        advisory = advisory_to_carriers(cast.police_focal)
    keys = set(OutboxMessage.objects.values_list("dedup_key", flat=True))
    viettel = cast.viettel.organisation_id
    assert f"alerts.advisory:{advisory.pk}:{viettel}:0" in keys
    outbox_send()
    to_viettel = [m for m in mail.outbox if cast.viettel.email in m.to]
    assert len(to_viettel) == 1 and advisory.reference in to_viettel[0].subject


def test_a_restricted_advisory_mail_does_not_carry_its_content(cast):
    advisory = advisory_to_carriers(cast.police_focal, access_level="restricted")
    outbox_send()
    body = next(m.body for m in mail.outbox if cast.viettel.email in m.to)
    assert advisory.reference in body and advisory.title not in body


def test_reminders_once_per_interval_until_acknowledged(cast):
    # Rule-set data (alerts.yaml): the interval and the number of reminders of the kind.
    AdvisoryKindRule.objects.filter(kind="crime_method").update(reminder_hours=24, max_reminders=2)
    advisory = advisory_to_carriers(cast.police_focal)
    recipients = advisory.recipients.count()
    advisory_acknowledge(advisory=advisory, ctx=ctx(cast.viettel))
    outbox_send()
    mail.outbox.clear()
    assert advisory_reminders_sweep() == 0 and reminders(advisory) == []  # not due yet

    _age(advisory, 25)
    assert advisory_reminders_sweep() == 0
    first = reminders(advisory)
    assert len(first) == recipients - 1 and all(k.endswith(":1") for k in first)
    viettel = cast.viettel.organisation_id
    assert f"alerts.advisory:{advisory.pk}:{viettel}:1" not in first  # it acknowledged
    assert len(mail.outbox) == recipients - 1  # sent by the sweep itself
    advisory_reminders_sweep()  # again at once: nothing more
    assert reminders(advisory) == first and len(mail.outbox) == recipients - 1

    advisory_acknowledge(advisory=advisory, ctx=ctx(cast.vnpt))
    _age(advisory, 25)
    advisory_reminders_sweep()
    second = [k for k in reminders(advisory) if k.endswith(":2")]
    assert len(second) == recipients - 2
    _age(advisory, 25)
    advisory_reminders_sweep()  # at most two reminders
    assert len(reminders(advisory)) == len(first) + len(second)
    row = AdvisoryRecipient.objects.get(advisory=advisory, organisation__code="st-mobifone")
    assert row.reminders_sent == 2


def test_a_withdrawn_advisory_is_not_reminded(cast):
    from phoihop.alerts.services import advisory_move

    advisory = advisory_to_carriers(cast.police_focal)
    advisory_move(advisory=advisory, move="withdraw", ctx=ctx(cast.police_focal), reason="Nhầm")
    _age(advisory, 100)
    advisory_reminders_sweep()
    assert reminders(advisory) == []


def test_newsrooms_get_each_warning_once(cast, client):
    subscription_add(email="toasoan@baosoctrang.example.vn", name="Báo Sóc Trăng", ctx=ctx(cast.dic_focal))
    asked = subscription_request(email="News@RadioTV.example.vn", name="Đài PT-TH", ctx=ctx(None))
    outbox_send()
    confirm = next(m for m in mail.outbox if m.to == ["news@radiotv.example.vn"])
    assert f"/alerts/newsrooms/confirm/{asked.token}/" in confirm.body
    mail.outbox.clear()

    warning = published_warning(cast.dic_focal, cast.dic_head)
    outbox_send()
    assert [m.to for m in mail.outbox] == [["toasoan@baosoctrang.example.vn"]]  # the unconfirmed one gets none
    sub = NewsroomSubscription.objects.get(email="toasoan@baosoctrang.example.vn")
    assert (
        warning.title in mail.outbox[0].subject and f"/alerts/newsrooms/unsubscribe/{sub.token}/" in mail.outbox[0].body
    )

    # Confirming is a POST (a mail scanner following the link confirms nothing).
    assert client.get(f"/alerts/newsrooms/confirm/{asked.token}/").status_code == 200
    assert NewsroomSubscription.objects.get(pk=asked.pk).confirmed_at is None
    assert client.post(f"/alerts/newsrooms/confirm/{asked.token}/").status_code == 200
    assert NewsroomSubscription.objects.get(pk=asked.pk).active

    # Withdrawn and published again: nobody gets the same warning twice; the new subscriber gets it once.
    mail.outbox.clear()
    warning = warning_move(warning=warning, move="withdraw", ctx=ctx(cast.dic_head), reason="Sửa")
    warning = warning_move(warning=warning, move="redraft", ctx=ctx(cast.dic_focal))
    warning = warning_move(warning=warning, move="submit", ctx=ctx(cast.dic_focal))
    warning_move(warning=warning, move="approve", ctx=ctx(cast.dic_head))
    outbox_send()
    assert [m.to for m in mail.outbox] == [["news@radiotv.example.vn"]]

    subscription_end(token=sub.token, ctx=ctx(None))
    mail.outbox.clear()
    published_warning(cast.dic_focal, cast.dic_head, title="Cảnh báo thứ hai")
    outbox_send()
    assert [m.to for m in mail.outbox] == [["news@radiotv.example.vn"]]


def test_subscription_bad_input(cast):
    with pytest.raises(Invalid) as refused:
        subscription_request(email="không phải email", name="", ctx=ctx(None))
    assert set(refused.value.errors) == {"email", "name"}
    with pytest.raises(Invalid):
        subscription_confirm(token="no-such-token", ctx=ctx(None))
    assert not NewsroomSubscription.objects.exists() and not OutboxMessage.objects.exists()
