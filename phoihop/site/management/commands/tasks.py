"""`phoihop tasks list [--failed]` and `phoihop tasks requeue ID... | --all-failed`.

`list` shows the queue (ready, running, failed rows, with their attempts); `--failed` only the dead
letters, the tasks that failed PHOIHOP_TASK_MAX_ATTEMPTS times. `requeue` puts failed tasks back to run
now with a fresh set of attempts (every task is idempotent, so a re-run is safe).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tasks_db.models import DBTaskResult

from phoihop.site import taskqueue


class Command(BaseCommand):
    help = "List the task queue and its dead letters, or put failed tasks back."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="tasks not yet finished, and failed ones")
        listing.add_argument("--failed", action="store_true", help="only the dead letters")
        again = sub.add_parser("requeue", help="put failed tasks back to run now")
        again.add_argument("ids", nargs="*", help="task result ids")
        again.add_argument("--all-failed", action="store_true", help="every failed task")

    def handle(self, *args, action, **options):
        if action == "list":
            return self._list(failed=options["failed"])
        ids, all_failed = options["ids"], options["all_failed"]
        if not ids and not all_failed:
            raise CommandError("name the tasks to requeue (ID ...) or pass --all-failed")
        try:
            count = taskqueue.requeue(ids=ids, all_failed=all_failed)
        except ValidationError as exc:
            raise CommandError(f"not a task id: {' '.join(ids)}") from exc
        self.stdout.write(f"{count} task(s) queued again")
        if ids and count < len(ids):
            raise CommandError(f"{len(ids) - count} of the ids named no failed task")

    def _list(self, *, failed: bool) -> None:
        if failed:
            rows = taskqueue.dead_letters()
        else:
            rows = DBTaskResult.objects.filter(status__in=["READY", "RUNNING", "FAILED"]).order_by("enqueued_at")
        spent = settings.PHOIHOP_TASK_MAX_ATTEMPTS
        for row in rows:
            error = row.exception_class_path.rsplit(".", 1)[-1] if row.exception_class_path else ""
            when = row.finished_at if row.status == "FAILED" else row.run_after
            when = "now" if when is None or when.year == 9999 else f"{when:%Y-%m-%d %H:%M:%S}"
            self.stdout.write(
                f"{row.id}  {row.status:<8} {taskqueue.attempts(row)}/{spent}  {row.task_path}"
                f"  {when}  {error}".rstrip()
            )
        self.stdout.write(f"{len(rows)} task(s)")
