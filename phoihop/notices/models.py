"""One notice per recipient person: what happened (title, a short text), where to look (a link inside the site,
opened through that object's own permission scope), the article or kind, when, and when it was read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("recipient")
    )
    # What it stands for (the outbox message's deduplication key, or the caller's own): one notice per person and
    # key, so a retried write never shows the same thing twice.
    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    article = models.CharField(_("article"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=255)
    text = models.CharField(_("text"), max_length=500, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)  # a path on this site ("/requests/…/")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_once_per_user_and_key")]
        indexes = [
            # The list, newest first.
            models.Index(fields=["user", "-created_at", "-id"], name="notice_user_newest"),
            # The bell's count and the unread filter: only unread rows are in it, so it stays small.
            models.Index(fields=["user", "-created_at"], condition=Q(read_at__isnull=True), name="notice_user_unread"),
            # The retention sweep: read notices, oldest first.
            models.Index(fields=["created_at"], condition=Q(read_at__isnull=False), name="notice_read_created"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
