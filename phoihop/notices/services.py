"""Writing notices, in the transaction of the change they tell of.

    notices_from_mail(mails)     the outbox calls it for every message it queues (phoihop.inbox.outbox): each
                                 active person whose address the message goes to gets a notice with the
                                 subject, the first lines and the message's link on this site
    notices_send(user_ids, ...)  an app tells people directly (those without an e-mail address too); give
                                 the same key as the e-mail's so that nobody gets the same thing twice
    notice_mark_read / notices_mark_all_read   the recipient read it (audited)
    notices_sweep()              PERIODIC_SWEEP_HOOK: read notices older than the retention (180 days) go

One notice per person and key (a unique constraint; a second write of a key adds nothing), so a retried task or
a rewritten message never shows twice. Notices never say more than the e-mail they come with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import SYSTEM, AuditContext, audit_record
from phoihop.core.errors import NotAllowed
from phoihop.directory.models import User

from .models import Notice
from .permissions import NoticeAction
from .selectors import notices_for

RETENTION_DAYS = 180  # read notices kept this long (settings.PHOIHOP_NOTICE_RETENTION_DAYS overrides)
PURGE_BATCH = 2000
TEXT_LINES = 3
_TEXT_MAX = Notice._meta.get_field("text").max_length or 500
_LINK_MAX = Notice._meta.get_field("link").max_length or 500
_ARTICLE = re.compile(r"\b(?:Đ|[Đđ]iều\s+|[Aa]rticles?\s+)(\d{1,2}(?:\.\d{1,2})?)\b")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class NoticeDraft:
    key: str
    title: str
    text: str = ""
    link: str = ""
    kind: str = ""
    article: str = ""


@dataclass(frozen=True)
class Mail:
    """An e-mail as the outbox queues it: whom to, what about, and (optionally) where to look."""

    key: str
    kind: str
    recipients: list[str]
    subject: str
    body: str
    link: str = ""


def site_path(link: str) -> str:
    """`link` as a path on this site ("/cases/12/"), or "" when it leads elsewhere or is not a plain path."""
    link = (link or "").strip()
    base = settings.SITE_URL.rstrip("/")
    if base and link.startswith(base + "/"):
        link = link[len(base) :]
    if not link.startswith("/") or link.startswith(("//", "/\\")) or any(c.isspace() for c in link):
        return ""
    return link[:_LINK_MAX] if len(link) <= _LINK_MAX else ""


def mail_link(body: str) -> str:
    """The first link to this site in an e-mail's body, as a path."""
    for url in _URL.findall(body or ""):
        path = site_path(url.rstrip(".,;)>"))
        if path:
            return path
    return ""


def mail_text(body: str) -> str:
    """The first lines of an e-mail's body that say something (no links, no blank lines), shortened."""
    lines = []
    for line in (body or "").splitlines():
        line = " ".join(line.split())
        if not line or _URL.fullmatch(line) or line.startswith("/"):
            continue
        lines.append(line)
        if len(lines) == TEXT_LINES:
            break
    text = " · ".join(lines)
    return text if len(text) <= _TEXT_MAX else text[: _TEXT_MAX - 1].rstrip() + "…"


def article_of(*texts: str) -> str:
    """The first article of Decision 11/2013 named ("Đ3.4", "điều 5.6", "article 11.3"), as "Đ3.4"."""
    for text in texts:
        found = _ARTICLE.search(text or "")
        if found:
            return f"Đ{found.group(1)}"
    return ""


def _draft(mail: Mail) -> NoticeDraft:
    return NoticeDraft(
        key=mail.key,
        title=" ".join((mail.subject or "").split())[:255] or mail.kind,
        text=mail_text(mail.body),
        link=site_path(mail.link) or mail_link(mail.body),
        kind=mail.kind[:40],
        article=article_of(mail.subject, mail.body),
    )


def _rows(drafts_and_users: Iterable[tuple[NoticeDraft, Iterable[int]]]) -> list[Notice]:
    now = timezone.now()
    rows: dict[tuple[int, str], Notice] = {}
    for draft, user_ids in drafts_and_users:
        for user_id in user_ids:
            rows.setdefault(
                (user_id, draft.key),
                Notice(
                    user_id=user_id,
                    key=draft.key[:200],
                    kind=draft.kind[:40],
                    article=draft.article[:20],
                    title=draft.title[:255],
                    text=draft.text[:_TEXT_MAX],
                    link=site_path(draft.link),
                    created_at=now,
                ),
            )
    return list(rows.values())


def _write(rows: list[Notice]) -> int:
    # A row already there (same person and key) is left alone: a retry adds nothing.
    Notice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def notices_from_mail(mails: list[Mail]) -> int:
    """Each active person an e-mail goes to (matched by address, whatever the case) gets its notice; in the
    caller's transaction. Addresses of no person (an organisation's, a newsroom's) get none. Returns how many
    notices were offered (those written before are not written again)."""
    wanted = {address.strip().lower() for mail in mails for address in mail.recipients if address and address.strip()}
    if not wanted:
        return 0
    people: dict[str, list[int]] = {}
    found = (
        User.objects.filter(is_active=True)
        .annotate(address=Lower("email"))
        .filter(address__in=sorted(wanted))
        .values_list("address", "pk")
    )
    for address, pk in found:
        people.setdefault(address, []).append(pk)
    if not people:
        return 0
    pairs = []
    for mail in mails:
        ids = {pk for address in mail.recipients for pk in people.get((address or "").strip().lower(), [])}
        if ids:
            pairs.append((_draft(mail), sorted(ids)))
    return _write(_rows(pairs))


def notices_send(*, user_ids: Iterable[int], draft: NoticeDraft) -> int:
    """Tell these people directly (with or without an e-mail address), in the caller's transaction."""
    active = list(User.objects.filter(pk__in=set(user_ids), is_active=True).values_list("pk", flat=True))
    if not active or not draft.key or not draft.title.strip():
        return 0
    return _write(_rows([(draft, sorted(active))]))


def notice_mark_read(*, notice: Notice, ctx: AuditContext) -> Notice:
    """The recipient read it (once: marking a read notice again changes nothing)."""
    if ctx.actor is None or notice.user_id != ctx.actor.pk:
        raise NotAllowed(_("Only its recipient may mark a notice read."))
    if notice.read_at is not None:
        return notice
    with transaction.atomic():
        now = timezone.now()
        if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now):
            audit_record(ctx=ctx, action=f"notice.{NoticeAction.READ}", obj=notice, summary=notice.title[:200])
        notice.read_at = now
    return notice


def notices_mark_all_read(*, ctx: AuditContext) -> int:
    """Every unread notice of the acting person is read now; one audit event with the number."""
    if ctx.actor is None:
        raise NotAllowed(_("Only a signed-in person has notices."))
    with transaction.atomic():
        count = notices_for(ctx.actor, unread=True).update(read_at=timezone.now())
        if count:
            audit_record(ctx=ctx, action="notice.read_all", summary=str(count), data={"count": count})
    return count


def retention_days() -> int:
    return int(getattr(settings, "PHOIHOP_NOTICE_RETENTION_DAYS", RETENTION_DAYS))


def notices_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the read notices created more than the retention ago, in batches; one audit event per run."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    old = Notice.objects.filter(read_at__isnull=False, created_at__lt=cutoff)
    purged = 0
    while True:
        ids = list(old.order_by("created_at").values_list("pk", flat=True)[:PURGE_BATCH])
        if not ids:
            break
        purged += Notice.objects.filter(pk__in=ids).delete()[0]
    if purged:
        audit_record(
            ctx=SYSTEM, action="notice.purge", summary=str(purged), data={"count": purged, "before": cutoff.isoformat()}
        )
    return purged


def notices_sweep() -> int:
    """PERIODIC_SWEEP_HOOK: the retention purge. It sends no e-mail, so nothing is left for the outbox: 0."""
    notices_purge()
    return 0
