"""Panels from the apps below the dashboards that hold work with deadlines: countermeasures asked of the
organisation or overdue (Đ4.2, Đ11.3), documents waiting for the head's signature (Đ3.2), requests the
organisation owes an answer to (Đ5.6, Đ17). Each is read through that app's own scope
(visible_countermeasures, visible_documents, exchange's to_answer); a figure links to its list.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phoihop.countermeasures.choices import PENDING
from phoihop.countermeasures.permissions import visible_countermeasures
from phoihop.directory.choices import Role
from phoihop.documents.choices import DocumentStatus
from phoihop.documents.permissions import visible_documents
from phoihop.exchange.choices import AWAITING_ANSWER
from phoihop.exchange.selectors import to_answer

ROWS = 8


def _url(name: str, *args, query: dict | None = None) -> str:
    """The page's address, or "" while the app does not serve that page yet (a row then shows no link)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return url + ("?" + urlencode(query) if query else "")


def _countermeasures(user, *, kind: str) -> dict | None:
    today = timezone.localdate()
    qs = visible_countermeasures(user).filter(status__in=list(PENDING))
    if kind == "hub":
        # Đ5.2: the hubs follow up every overdue measure they may see.
        qs = qs.filter(due_on__lt=today)
        title, query = _("Overdue countermeasures"), {"status": "pending"}
    elif kind == "head":
        qs = qs.filter(requesting_organisation_id=user.organisation_id) | qs.filter(target_id=user.organisation_id)
        title, query = _("Countermeasures of my organisation"), {"status": "pending"}
    else:
        qs = qs.filter(target_id=user.organisation_id)
        title, query = _("Countermeasures to carry out"), {"queue": "incoming", "status": "pending"}
    total = qs.count()
    if not total and kind != "work":
        return None
    overdue = qs.filter(due_on__lt=today).count()
    rows = [
        {
            "title": f"{cm.reference} · {cm.indicator.value}"[:120],
            "url": _url("countermeasures:detail", cm.reference),
            "due": cm.due_on,
            "overdue": cm.due_on < today,
        }
        for cm in qs.select_related("indicator").order_by("due_on", "pk")[:ROWS]
    ]
    summary = ngettext("%(n)d measure pending", "%(n)d measures pending", total) % {"n": total}
    return {
        "key": "countermeasures",
        "title": title,
        "summary": summary,
        "url": _url("countermeasures:list", query=query),
        "overdue": overdue,
        "rows": rows,
    }


def _documents_to_sign(user) -> dict | None:
    """Đ3.2: the documents of the head's organisation submitted for their signature, oldest first."""
    qs = visible_documents(user).filter(organisation_id=user.organisation_id, status=DocumentStatus.SUBMITTED)
    total = qs.count()
    rows = [
        {"title": doc.summary[:120], "url": _url("documents:detail", doc.pk), "due": None, "overdue": False}
        for doc in qs.order_by("submitted_at", "pk")[:ROWS]
    ]
    return {
        "key": "documents",
        "title": _("Documents waiting for your signature"),
        "summary": ngettext("%(n)d document to sign", "%(n)d documents to sign", total) % {"n": total},
        "url": _url("documents:queue"),
        "overdue": 0,
        "rows": rows,
    }


def _requests_to_answer(user) -> dict | None:
    """Đ5.6, Đ17: the requests of other agencies that the user's organisation has still to answer, soonest due
    first (the exchange app's own queue, through its scope)."""
    today = timezone.localdate()
    qs = to_answer(user).filter(status__in=list(AWAITING_ANSWER))
    total = qs.count()
    if not total:
        return None
    overdue = qs.filter(due_date__lt=today).count()
    rows = [
        {
            "title": f"{r.request.reference} · {r.request.sender.name}"[:120],
            "url": _url("exchange:detail", r.request.reference),
            "due": r.due_date,
            "overdue": r.due_date is not None and r.due_date < today,
        }
        for r in qs[:ROWS]
    ]
    return {
        "key": "requests",
        "title": _("Requests to answer"),
        "summary": ngettext("%(n)d request to answer", "%(n)d requests to answer", total) % {"n": total},
        "url": _url("exchange:inbox"),
        "overdue": overdue,
        "rows": rows,
    }


def upcoming_panels(user, *, kind: str) -> list[dict]:
    panels = []
    if kind == "head" or (kind == "work" and user.role == Role.HEAD):
        panels.append(_documents_to_sign(user))
    if kind in {"work", "head"}:
        panels.append(_requests_to_answer(user))
    panels.append(_countermeasures(user, kind=kind))
    return [p for p in panels if p]
