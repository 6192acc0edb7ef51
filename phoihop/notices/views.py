"""The notices page: the person's notices newest first (all, or unread only), marking one or all read (htmx, or a
plain form without script), and opening one: marked read, then on to its object, which that object's own page
serves through its own permission scope (the notice holds a link, nothing more)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from phoihop.audit.services import AuditContext

from . import services
from .selectors import NoticeBell, notice_for, notices_for

PAGE_SIZE = 25


def _unread_only(request) -> bool:
    return (request.POST.get("unread") or request.GET.get("unread")) == "1"


def _list_context(request) -> dict:
    unread = _unread_only(request)
    page = Paginator(notices_for(request.user, unread=unread), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "notices": page.object_list, "unread": unread}


def _fresh_bell(request) -> NoticeBell:
    """The count after a change in this request (the header's bell is recounted, not the one read before)."""
    request.notice_bell = NoticeBell(request.user)
    return request.notice_bell


def _back(request) -> str:
    return reverse("notices:list") + ("?unread=1" if _unread_only(request) else "")


@login_required
@require_GET
def notice_list(request):
    context = _list_context(request)
    if request.htmx and request.htmx.target == "notice-list":
        return render(request, "notices/partials/list.html", context)
    return render(request, "notices/list.html", context)


def _notice(request, pk: int):
    notice = notice_for(request.user, pk)
    if notice is None:
        raise Http404
    return notice


@login_required
@require_POST
def notice_read(request, pk: int):
    notice = services.notice_mark_read(notice=_notice(request, pk), ctx=AuditContext.from_request(request))
    if request.htmx:
        bell = _fresh_bell(request)
        return render(
            request,
            "notices/partials/item_read.html",
            {"notice": notice, "notice_bell": bell, "unread": _unread_only(request)},
        )
    return redirect(_back(request))


@login_required
@require_POST
def notices_read_all(request):
    services.notices_mark_all_read(ctx=AuditContext.from_request(request))
    if request.htmx:
        bell = _fresh_bell(request)
        return render(request, "notices/partials/list_read.html", {**_list_context(request), "notice_bell": bell})
    return redirect(_back(request))


@login_required
@require_POST
def notice_open(request, pk: int) -> HttpResponse:
    """Marked read, then to its object (only ever a path on this site: the notice's link was checked when written)."""
    notice = services.notice_mark_read(notice=_notice(request, pk), ctx=AuditContext.from_request(request))
    link = services.site_path(notice.link)
    return redirect(link or reverse("notices:list"))
