"""The registers of the user's organisation (outgoing, incoming, drafts) and the head's "to sign" queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from phoihop.directory.choices import Role

from .. import permissions as perm
from ..selectors import drafts_of, incoming_register, outgoing_register, register_years, sign_queue

PAGE_SIZE = 50
TABS = ("incoming", "outgoing", "drafts")


def _active_or_403(user) -> None:
    if not perm.may_view_documents(user):
        raise PermissionDenied


@login_required
@require_GET
def document_index(request):
    """Sổ văn bản đến / đi (Đ3.3, Đ17.2) of the user's organisation, by year, and its drafts."""
    user = request.user
    _active_or_403(user)
    tab = request.GET.get("register", "incoming")
    tab = tab if tab in TABS else "incoming"
    this_year = timezone.localdate().year
    years = sorted(set(register_years(user)) | {this_year}, reverse=True)
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = year if year in years else this_year
    if tab == "incoming":
        rows = incoming_register(user, year)
    elif tab == "outgoing":
        rows = outgoing_register(user, year)
    else:
        rows = drafts_of(user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "year": year,
        "years": years,
        "page": page,
        "rows": list(page.object_list),
        "can_draft": perm.may_draft(user),
        "can_register": perm.may_register_incoming(user),
        "queue_count": sign_queue(user).count() if user.role == Role.HEAD else None,
    }
    return render(request, "documents/index.html", context)


@login_required
@require_GET
def sign_queue_page(request):
    """Đ3.2: the head's queue of documents awaiting approval and signature."""
    user = request.user
    if not (perm.may_view_documents(user) and user.role == Role.HEAD):
        raise PermissionDenied
    return render(request, "documents/queue.html", {"documents": list(sign_queue(user))})
