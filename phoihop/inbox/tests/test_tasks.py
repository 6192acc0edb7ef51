"""The digest sweep is scheduled once at start-up and keeps itself queued, every PHOIHOP_DIGEST_MINUTES."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phoihop.inbox import notifications
from phoihop.inbox.tasks import inbox_digest, schedule_notifications

pytestmark = pytest.mark.django_db


def _queued():
    return DBTaskResult.objects.filter(task_path=inbox_digest.module_path, status="READY")


def test_start_up_queues_the_digest_once_however_often_it_runs():
    schedule_notifications()
    schedule_notifications()
    assert _queued().count() == 1


def test_each_run_queues_the_next_after_the_configured_minutes(settings):
    settings.PHOIHOP_DIGEST_MINUTES = 7
    before = timezone.now()
    assert inbox_digest.call() == 0  # nothing to send
    (queued,) = _queued()
    assert before + dt.timedelta(minutes=7) <= queued.run_after <= timezone.now() + dt.timedelta(minutes=7)
    inbox_digest.call()
    assert _queued().count() == 1  # a run never queues a second chain


def test_a_failed_run_still_queues_the_next(monkeypatch):
    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(notifications, "notifications_sweep", broken)
    with pytest.raises(RuntimeError):
        inbox_digest.call()
    assert _queued().count() == 1
