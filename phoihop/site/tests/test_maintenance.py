"""Database upkeep runs hourly from the task queue, queued once however often the app starts."""

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from phoihop.site.tasks import database_maintenance, schedule_maintenance

pytestmark = pytest.mark.django_db


def queued():
    return DBTaskResult.objects.filter(task_path=database_maintenance.module_path, status="READY")


def test_starting_twice_queues_the_upkeep_once():
    schedule_maintenance()
    schedule_maintenance()
    assert queued().count() == 1


def test_the_upkeep_runs_and_queues_its_next_run_an_hour_later():
    result = database_maintenance.call()
    assert result == ("optimized" if connection.vendor == "sqlite" else "nothing to do")
    [next_run] = queued()
    assert next_run.run_after > timezone.now() + timezone.timedelta(minutes=55)
