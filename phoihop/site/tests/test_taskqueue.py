"""Nothing lost: failed tasks retried with back-off, dead letters put back, leases of dead workers taken
back, finished rows purged, and a worker that waits out a database outage."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from phoihop.site import taskqueue
from phoihop.site.management.commands import worker as worker_command
from phoihop.site.tests.faulttasks import flaky, slow_mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def drain(monkeypatch):
    """Run every ready task once in this process, as `phoihop worker --batch` does."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("worker", batch=True, no_startup_delay=True, verbosity=0)

    return run


def row_of(result) -> DBTaskResult:
    return DBTaskResult.objects.get(id=result.id)


def make_due(row: DBTaskResult) -> None:
    """Time passes: the back-off of the row is over."""
    DBTaskResult.objects.filter(id=row.id).update(run_after=timezone.now() - dt.timedelta(seconds=1))


def runs(path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_a_task_that_fails_twice_is_retried_with_back_off_then_succeeds(tmp_path, drain):
    path = tmp_path / "flaky"
    result = flaky.enqueue(str(path), 2)
    drain()
    row = row_of(result)
    assert row.status == "READY" and runs(path) == 1
    assert (row.run_after - row.finished_at) == dt.timedelta(minutes=2)  # 2^1 minutes
    drain()
    assert runs(path) == 1, "not before its back-off is over"
    make_due(row)
    drain()
    row = row_of(result)
    assert row.status == "READY" and runs(path) == 2
    assert (row.run_after - row.finished_at) == dt.timedelta(minutes=4)  # 2^2 minutes
    make_due(row)
    drain()
    row = row_of(result)
    assert row.status == "SUCCESSFUL" and row.return_value == 3 and taskqueue.attempts(row) == 3
    assert runs(path) == 3


def test_after_max_attempts_a_task_is_a_dead_letter_until_requeued(tmp_path, drain, settings):
    settings.PHOIHOP_TASK_MAX_ATTEMPTS = 3
    path = tmp_path / "always"
    result = flaky.enqueue(str(path), 99)
    for _ in range(3):
        drain()
        make_due(row_of(result))
    drain()
    row = row_of(result)
    assert row.status == "FAILED" and taskqueue.attempts(row) == 3 and runs(path) == 3
    taskqueue.sweep()
    assert row_of(result).status == "FAILED", "a dead letter is not retried by the sweep"
    out = io.StringIO()
    call_command("tasks", "list", "--failed", stdout=out)
    assert str(row.id) in out.getvalue() and "3/3" in out.getvalue() and "RuntimeError" in out.getvalue()

    call_command("tasks", "requeue", str(row.id), stdout=io.StringIO())
    row = row_of(result)
    assert row.status == "READY" and taskqueue.attempts(row) == 0
    drain()
    assert runs(path) == 4 and row_of(result).status == "READY", "a fresh set of attempts"
    out = io.StringIO()
    call_command("tasks", "list", "--failed", stdout=out)
    assert str(row.id) not in out.getvalue()


def test_requeue_all_failed_and_refusals(tmp_path, drain, settings):
    settings.PHOIHOP_TASK_MAX_ATTEMPTS = 1
    first, second = flaky.enqueue(str(tmp_path / "a"), 9), flaky.enqueue(str(tmp_path / "b"), 9)
    drain()
    assert {row_of(first).status, row_of(second).status} == {"FAILED"}
    call_command("tasks", "requeue", "--all-failed", stdout=io.StringIO())
    assert {row_of(first).status, row_of(second).status} == {"READY"}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("tasks", "requeue", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("tasks", "requeue", "not-a-uuid", stdout=io.StringIO())


def running(result, *, worker: str, age_s: float, tries: int = 1) -> DBTaskResult:
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING",
        started_at=timezone.now() - dt.timedelta(seconds=age_s),
        worker_ids=[f"w{i}" for i in range(tries - 1)] + [worker],
    )
    return row_of(result)


def test_a_task_whose_worker_is_gone_is_taken_again_after_its_lease(tmp_path, settings):
    settings.PHOIHOP_TASK_LEASE_SECONDS = 600
    young = slow_mark.enqueue(str(tmp_path / "y"), 0)
    old = slow_mark.enqueue(str(tmp_path / "o"), 0)
    running(young, worker="dead", age_s=60)
    running(old, worker="dead", age_s=700)
    assert taskqueue.sweep()["reclaimed"] == 1
    assert row_of(young).status == "RUNNING", "still within its lease"
    row = row_of(old)
    assert row.status == "READY" and row.run_after <= timezone.now() and taskqueue.attempts(row) == 1


def test_a_long_task_of_a_live_worker_keeps_its_lease(tmp_path, settings):
    settings.PHOIHOP_TASK_LEASE_SECONDS = 600
    mine = slow_mark.enqueue(str(tmp_path / "m"), 0)
    other = slow_mark.enqueue(str(tmp_path / "x"), 0)
    running(mine, worker="alive", age_s=700)
    running(other, worker="alive", age_s=700)  # the live worker has moved on: this one was lost
    taskqueue.heartbeat(worker_id="alive", started_at=timezone.now(), task_id=mine.id)
    taskqueue.sweep()
    assert row_of(mine).status == "RUNNING"
    assert row_of(other).status == "READY"


def test_a_task_lost_on_its_last_attempt_becomes_a_dead_letter(tmp_path, settings):
    settings.PHOIHOP_TASK_MAX_ATTEMPTS = 2
    result = slow_mark.enqueue(str(tmp_path / "l"), 0)
    running(result, worker="dead", age_s=10_000, tries=2)
    taskqueue.sweep()
    row = row_of(result)
    assert row.status == "FAILED" and row.exception_class_path == taskqueue.LEASE_EXPIRED
    assert [r.id for r in taskqueue.dead_letters()] == [row.id]


def test_finished_rows_are_purged_after_the_retention(tmp_path, settings):
    settings.PHOIHOP_TASK_RETENTION_DAYS = 7
    old_ok, new_ok, old_dead, waiting = (slow_mark.enqueue(str(tmp_path / n), 0) for n in "abcd")
    long_ago, lately = timezone.now() - dt.timedelta(days=8), timezone.now() - dt.timedelta(days=1)
    DBTaskResult.objects.filter(id=old_ok.id).update(status="SUCCESSFUL", finished_at=long_ago)
    DBTaskResult.objects.filter(id=new_ok.id).update(status="SUCCESSFUL", finished_at=lately)
    DBTaskResult.objects.filter(id=old_dead.id).update(status="FAILED", finished_at=long_ago, worker_ids=list("12345"))
    assert taskqueue.purge() == {"succeeded": 1, "failed": 1}
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        DBTaskResult.objects.get(id=new_ok.id).id,
        DBTaskResult.objects.get(id=waiting.id).id,
    }


def test_the_hourly_upkeep_sweeps_and_purges(tmp_path):
    from phoihop.site.tasks import database_maintenance

    lost = slow_mark.enqueue(str(tmp_path / "lost"), 0)
    running(lost, worker="dead", age_s=10_000)
    database_maintenance.call()
    assert row_of(lost).status == "READY"


def test_the_worker_waits_out_a_database_outage_instead_of_exiting(monkeypatch):
    calls, pauses = [], []

    def loop(self):
        calls.append(1)
        if len(calls) <= 3:
            raise OperationalError("connection refused")

    monkeypatch.setattr(db_worker.Worker, "run", loop)
    monkeypatch.setattr(worker_command.time, "sleep", pauses.append)
    monkeypatch.setattr(worker_command.Worker, "_sweep", lambda self: None)
    closed = []
    monkeypatch.setattr(worker_command, "_close_connections", lambda: closed.append(1))  # keep the test's own
    worker = worker_command.Worker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="patient",
        excluded_queue_names=[],
    )
    worker.run()
    assert len(calls) == 4 and pauses == [1.0, 2.0, 4.0] and len(closed) == 3


@pytest.mark.django_db
def test_the_queue_upkeep_reads_its_rows_through_an_index_not_the_whole_table():
    # Issue 9: the sweep (every minute) and the purge walked every finished task of the retention period.
    from django.db import connection

    now = timezone.now()
    queries = {
        "phoihop_tasks_running_idx": DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now),
        "phoihop_tasks_failed_idx": DBTaskResult.objects.filter(status="FAILED").order_by(),
        "phoihop_tasks_succeeded_idx": DBTaskResult.objects.filter(finished_at__lt=now, status="SUCCESSFUL"),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: ask whether the index can serve
        for index, qs in queries.items():
            sql, params = qs.query.sql_with_params()
            explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(explain + sql, params)
            plan = " ".join(str(col) for row in cursor.fetchall() for col in row)
            assert index in plan, (index, plan)
