"""`phoihop worker`: django-tasks-db's db_worker, with a heartbeat, leases, retries and patience.

- A thread writes the heartbeat (site.models.WorkerHeartbeat: time and running task) every
  PHOIHOP_WORKER_HEARTBEAT_SECONDS, and every PHOIHOP_TASK_SWEEP_SECONDS takes back the tasks of dead
  workers and re-queues failed ones (site.taskqueue.sweep); the worker also sweeps once at start.
- A task that raised is re-queued at once with back-off (2^attempts minutes) until its attempts are spent.
- A database outage does not end the worker: on OperationalError/InterfaceError it closes its
  connections, waits (1 s, doubling up to 10 s) and goes on. `phoihop serve` restarts it anyway if it dies.
- It runs at a lower CPU priority than the web (PHOIHOP_WORKER_NICE, 5 by default): on a busy machine a
  person's request is answered first and the queue drains in the gaps.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from phoihop.site import taskqueue

logger = logging.getLogger("phoihop.tasks")

MAX_PAUSE = 10.0


def lower_priority(nice: int) -> None:
    """Give the cores to the web first: background work (digests, e-mail, sweeps) yields while people wait."""
    if nice > 0:
        with contextlib.suppress(OSError):  # a platform without priorities serves at its own
            os.nice(nice)


class Worker(db_worker.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.current_task_id = None
        self._stop = threading.Event()

    # --- the task loop, patient with the database ---------------------------------------------------
    def run(self) -> None:
        pause, last_error = 1.0, 0.0
        self._sweep()
        while True:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                if not self.running:
                    raise
                if time.monotonic() - last_error > 2 * MAX_PAUSE:
                    pause = 1.0  # a new outage starts with a short wait again
                last_error = time.monotonic()
                logger.warning("worker %s: database unavailable (%s), retrying in %.0f s", self.worker_id, exc, pause)
                _close_connections()
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)

    def run_task(self, db_task_result) -> None:
        self.current_task_id = db_task_result.id
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task_id = None
        if db_task_result.status == taskqueue.FAILED:
            taskqueue.retry_failed(db_task_result)

    def _sweep(self) -> None:
        try:
            done = taskqueue.sweep()
        except (OperationalError, InterfaceError) as exc:
            logger.warning("worker %s: sweep skipped, database unavailable (%s)", self.worker_id, exc)
            _close_connections()
            return
        if any(done.values()):
            logger.info("worker %s: %s", self.worker_id, done)

    # --- the heartbeat thread -----------------------------------------------------------------------
    def start_heartbeat(self) -> threading.Thread:
        thread = threading.Thread(target=self._beat, name="phoihop-heartbeat", daemon=True)
        thread.start()
        return thread

    def stop_heartbeat(self) -> None:
        self._stop.set()

    def _beat(self) -> None:
        every = settings.PHOIHOP_WORKER_HEARTBEAT_SECONDS
        next_sweep = time.monotonic() + settings.PHOIHOP_TASK_SWEEP_SECONDS
        try:
            while not self._stop.is_set():
                try:
                    taskqueue.heartbeat(
                        worker_id=self.worker_id, started_at=self.started_at, task_id=self.current_task_id
                    )
                    if time.monotonic() >= next_sweep:
                        next_sweep = time.monotonic() + settings.PHOIHOP_TASK_SWEEP_SECONDS
                        self._sweep()
                except Exception as exc:  # the beat must outlive any outage
                    logger.warning("worker %s: heartbeat not written (%s)", self.worker_id, exc)
                    _close_connections()
                self._stop.wait(every)
            taskqueue.heartbeat_stop(worker_id=self.worker_id)
        except Exception as exc:  # shutting down: the stale row is purged later
            logger.info("worker %s: heartbeat row left (%s)", self.worker_id, exc)
        finally:
            connections.close_all()


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):  # a broken connection may refuse even to close
            conn.close()


class Command(db_worker.Command):
    help = "Run the background task worker (db_worker with heartbeat, leases, retries, outage patience)"

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, **options):
        # db_worker's handle() with our Worker (no auto-reload: a supervised worker is restarted instead).
        self.configure_logging(verbosity)
        lower_priority(settings.PHOIHOP_WORKER_NICE)
        queue_names = queue_name.split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        beat = None if batch else worker.start_heartbeat()  # a one-off drain (--batch) beats not
        try:
            worker.run()
        finally:
            if beat is not None:
                worker.stop_heartbeat()
                beat.join(timeout=5)
