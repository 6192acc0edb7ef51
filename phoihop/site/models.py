"""The task workers' heartbeats: who is alive, and which task each one is running."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per `phoihop worker` process, rewritten every few seconds while it lives.

    A RUNNING task whose worker stopped beating (or beats for another task) is taken again once its
    lease runs out (site.taskqueue.sweep); /health/ reports the age of the freshest beat.
    """

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True)
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    task_id = models.UUIDField(_("running task"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
