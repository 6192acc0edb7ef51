"""Nothing lost: leases, retries with back-off, a dead-letter state and the purge of the task queue.

django-tasks-db claims a task by marking its row RUNNING and appending the worker's id to `worker_ids`;
it has no lease and no retry: a worker killed mid-task leaves the row RUNNING for ever, and a task that
raised stays FAILED. This module adds, on top of its table (no table of our own for the tasks):

- attempts = the number of claims, len(worker_ids) (a lease taken back counts as one);
- lease: a RUNNING row older than PHOIHOP_TASK_LEASE_SECONDS whose worker is gone (no fresh
  heartbeat, or a heartbeat naming another task) is put back to READY;
- retry: a FAILED row with fewer than PHOIHOP_TASK_MAX_ATTEMPTS attempts is put back to READY with
  run_after = failure + 2^attempts minutes; past that it stays FAILED: the dead-letter state, listed by
  `phoihop tasks list --failed` and put back by `phoihop tasks requeue`;
- purge: finished rows (SUCCESSFUL, and dead letters) older than PHOIHOP_TASK_RETENTION_DAYS go.

Every task of the product is idempotent (and the outbox sends each e-mail once), so running one again
is safe.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import WorkerHeartbeat

logger = logging.getLogger("phoihop.tasks")

READY, RUNNING, FAILED, SUCCESSFUL = "READY", "RUNNING", "FAILED", "SUCCESSFUL"
LEASE_EXPIRED = "phoihop.site.taskqueue.LeaseExpired"


def _setting(name: str) -> float:
    return getattr(settings, name)


def attempts(row: DBTaskResult) -> int:
    return len(row.worker_ids or [])


def backoff(tries: int) -> dt.timedelta:
    """The wait before the next try after `tries` attempts: 2, 4, 8, 16... minutes."""
    return dt.timedelta(minutes=2**tries)


# --- Heartbeats --------------------------------------------------------------------------------------
def heartbeat(*, worker_id: str, started_at: dt.datetime, task_id=None) -> None:
    """Write that this worker is alive (and which task it runs) now."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now, task_id=task_id)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            last_seen=now,
            task_id=task_id,
        )


def heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_last_seen_s() -> float | None:
    """Seconds since the freshest heartbeat of any worker; None when no worker ever beat."""
    last = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
    return None if last is None else max((timezone.now() - last).total_seconds(), 0.0)


# --- State of the queue ------------------------------------------------------------------------------
def queue_state() -> dict:
    """How many tasks are ready to run, and how long the oldest of them has waited (seconds or None)."""
    never = get_date_max()
    row = DBTaskResult.objects.ready().aggregate(
        ready=Count("id"),
        oldest_plain=Min("enqueued_at", filter=Q(run_after=never)),
        oldest_delayed=Min("run_after", filter=~Q(run_after=never)),
    )
    since = [t for t in (row["oldest_plain"], row["oldest_delayed"]) if t is not None]
    oldest = max((timezone.now() - min(since)).total_seconds(), 0.0) if since else None
    return {"oldest_ready_s": oldest, "ready": row["ready"]}


# --- Retry, lease, dead letters ----------------------------------------------------------------------
def retry_failed(row: DBTaskResult) -> bool:
    """Put a FAILED row back with back-off unless it used up its attempts (then it stays: dead letter)."""
    tries = attempts(row)
    if tries >= _setting("PHOIHOP_TASK_MAX_ATTEMPTS"):
        logger.error("task %s (%s) failed %d times: left as a dead letter", row.id, row.task_path, tries)
        return False
    run_after = (row.finished_at or timezone.now()) + backoff(tries)
    moved = DBTaskResult.objects.filter(id=row.id, status=FAILED).update(status=READY, run_after=run_after)
    if moved:
        logger.warning("task %s (%s) failed (attempt %d): retried after %s", row.id, row.task_path, tries, run_after)
    return bool(moved)


def _worker_holds(row: DBTaskResult, beats: dict[str, WorkerHeartbeat], fresh_after: dt.datetime) -> bool:
    beat = beats.get(row.worker_ids[-1]) if row.worker_ids else None
    return beat is not None and beat.last_seen >= fresh_after and beat.task_id == row.id


def reclaim_expired() -> int:
    """RUNNING rows past their lease whose worker is gone go back to READY (or to FAILED when spent)."""
    now = timezone.now()
    expired = list(
        DBTaskResult.objects.filter(
            status=RUNNING, started_at__lt=now - dt.timedelta(seconds=_setting("PHOIHOP_TASK_LEASE_SECONDS"))
        )
        .only("id", "worker_ids", "started_at", "task_path")
        .order_by()  # not the table's default ordering: no sort of the rows found
    )
    if not expired:
        return 0
    ids = [row.worker_ids[-1] for row in expired if row.worker_ids]
    beats = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in=ids)}
    fresh_after = now - dt.timedelta(seconds=_setting("PHOIHOP_WORKER_STALE_SECONDS"))
    taken = 0
    for row in expired:
        if _worker_holds(row, beats, fresh_after):
            continue  # a long task of a live worker: leave it
        same = DBTaskResult.objects.filter(id=row.id, status=RUNNING, started_at=row.started_at)
        if attempts(row) >= _setting("PHOIHOP_TASK_MAX_ATTEMPTS"):
            same.update(
                status=FAILED,
                finished_at=now,
                exception_class_path=LEASE_EXPIRED,
                traceback="The worker running this task stopped before it finished.",
            )
            logger.error("task %s (%s): its worker died on the last attempt, dead letter", row.id, row.task_path)
        elif same.update(status=READY, run_after=now):
            taken += 1
            logger.warning("task %s (%s): its worker is gone, queued again", row.id, row.task_path)
    return taken


def sweep() -> dict:
    """Take back expired leases and re-queue the failed tasks that may still try (worker start, every minute)."""
    reclaimed = reclaim_expired()
    retried = 0
    failed = DBTaskResult.objects.filter(status=FAILED).only("id", "worker_ids", "finished_at", "task_path")
    for row in failed.order_by():  # not the table's default ordering: no sort of the rows found
        if attempts(row) < _setting("PHOIHOP_TASK_MAX_ATTEMPTS"):
            retried += retry_failed(row)
    return {"reclaimed": reclaimed, "retried": retried}


def dead_letters():
    """FAILED rows that used up their attempts, newest first."""
    rows = DBTaskResult.objects.filter(status=FAILED).order_by("-finished_at")
    spent = _setting("PHOIHOP_TASK_MAX_ATTEMPTS")
    return [row for row in rows if attempts(row) >= spent]


def requeue(*, ids: Iterable[str] = (), all_failed: bool = False) -> int:
    """Put FAILED rows back to READY now with a fresh set of attempts (the operator's second chance)."""
    rows = DBTaskResult.objects.filter(status=FAILED)
    if not all_failed:
        rows = rows.filter(id__in=list(ids))
    return rows.update(status=READY, run_after=timezone.now(), worker_ids=[], finished_at=None)


def purge() -> dict:
    """Delete finished rows older than the retention, so the claim query never scans them."""
    cutoff = timezone.now() - dt.timedelta(days=_setting("PHOIHOP_TASK_RETENTION_DAYS"))
    old = DBTaskResult.objects.filter(finished_at__lt=cutoff)
    succeeded, _ = old.filter(status=SUCCESSFUL).delete()
    failed, _ = old.filter(status=FAILED).delete()  # dead letters kept as long, then gone
    WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).delete()
    return {"succeeded": succeeded, "failed": failed}
