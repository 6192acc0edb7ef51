"""An urgent report and the task worker at the same moment (Đ3.1): real concurrency, two threads with a
database connection each, on PostgreSQL (SQLite lets one writer in at a time, so the worker's claim waits
for the report there anyway)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult

from phoihop.directory.models import Function
from phoihop.inbox.services import deliveries_enqueue_urgent
from phoihop.inbox.tasks import notify_deliveries
from phoihop.rulesets.services import ruleset_load

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer at a time hold the whole database: this needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_back(django_db_blocker):
    """A transactional test ends by emptying every table: load the reference data again for the tests after."""
    yield
    with django_db_blocker.unblock():
        if not Function.objects.exists():
            ruleset_load(code_or_path="soctrang-2013")


def _claim():
    """The worker's claim, as django-tasks-db makes it, in a connection of its own."""
    try:
        with transaction.atomic():
            task = DBTaskResult.objects.ready().get_locked()
            return task and task.pk
    finally:
        connections.close_all()


def test_a_waiting_notice_task_is_not_taken_while_a_report_that_counts_on_it_is_uncommitted():
    """An urgent report queues no task when one waits (that one covers every urgent delivery waiting). Until
    the report commits, the worker must not take that task: it would look for deliveries and miss these."""
    notify_deliveries.enqueue(delivery_ids=[1])
    (waiting,) = DBTaskResult.objects.values_list("pk", flat=True)
    with ThreadPoolExecutor(1) as pool:
        with transaction.atomic():
            deliveries_enqueue_urgent(delivery_ids=[2])
            assert DBTaskResult.objects.count() == 1  # none queued beside the waiting one
            assert pool.submit(_claim).result(timeout=10) is None  # the worker skips it for now
        assert pool.submit(_claim).result(timeout=10) == waiting  # and takes it once the report is in
