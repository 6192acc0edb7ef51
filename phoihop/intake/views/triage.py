"""The inbox that triages: an organisation's deliveries, filtered, each with what it is about and its deadline,
acknowledged one by one or several at once (Đ3.3: the focal point receives; Đ3.4: "immediately").

Fast at a million deliveries: the list walks the delivery_inbox index (organisation, acknowledged_at,
delivered_at) and stops at the end of the page. The header's counts stop at a thousand
(inbox.selectors.inbox_counts: "more than 1,000"); an inbox that small is paged with numbered pages, a larger
or a filtered one is never counted, only told whether there is a next page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from phoihop.audit.services import AuditContext
from phoihop.core.errors import NotAllowed
from phoihop.core.permissions import scope
from phoihop.inbox.models import Delivery
from phoihop.inbox.permissions import DeliveryAction, may_acknowledge
from phoihop.inbox.selectors import ack_deadline, inbox_counts, inbox_for
from phoihop.inbox.services import delivery_acknowledge

from ..filters import InboxFilter

PAGE_SIZE = 50
MAX_PAGE = 200  # of an uncounted inbox: further back, a narrower filter serves better
MAX_BULK = 100  # deliveries acknowledged by one request (a page holds 50)


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def with_deadlines(deliveries: list[Delivery]) -> list[Delivery]:
    """Each delivery's acknowledgement deadline (`due_at`), from when it was delivered (Đ3.4)."""
    allowed = dt.timedelta(minutes=settings.PHOIHOP_ACK_DEADLINE_MINUTES)
    for d in deliveries:
        d.due_at = d.delivered_at + allowed
    return deliveries


@login_required
@require_GET
def inbox(request):
    """The reports delivered to the user's organisation, unacknowledged first, with triage filters."""
    user = request.user
    qs = inbox_for(user).select_related("acknowledged_by").defer("report__search_text")
    filters = InboxFilter(request.GET or None, queryset=qs, request=request)
    filtered = bool(filters.is_bound and filters.active)
    counts = inbox_counts(user)
    invalid = filters.is_bound and not filters.is_valid()
    if invalid:
        deliveries, page, has_next, page_number = [], None, False, 1
    elif filtered or counts.total_capped:
        # Never counted: the page and one row more, to know whether a next page exists.
        page_number = _page_number(request.GET.get("page"))
        start = (page_number - 1) * PAGE_SIZE
        rows = list((filters.qs if filtered else qs)[start : start + PAGE_SIZE + 1])
        has_next = len(rows) > PAGE_SIZE and page_number < MAX_PAGE
        deliveries, page = rows[:PAGE_SIZE], None
    else:
        paginator = Paginator(qs, PAGE_SIZE)
        paginator.count = counts.total  # exact below the cap, see selectors.inbox_counts
        page = paginator.get_page(request.GET.get("page"))
        deliveries, has_next, page_number = list(page.object_list), False, page.number
    # Beyond seeing the report, the right to acknowledge depends only on the role, so it is asked once
    # per page rather than once per row (the view of a single delivery asks again, for that report).
    can_acknowledge = bool(deliveries) and may_acknowledge(user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/inbox.html",
        {
            "page": page,
            "page_number": page_number,
            "has_next": has_next,
            "filtered": filtered,
            "form": filters.form,
            "query": query.urlencode(),
            "deliveries": with_deadlines(deliveries),
            "can_acknowledge": can_acknowledge,
            "deadline": ack_deadline(),
            "waiting": counts.waiting,
            "waiting_capped": counts.waiting_capped,
            "count_cap": number_format(counts.cap, force_grouping=True),
        },
    )


@login_required
@require_POST
def inbox_acknowledge(request):
    """Acknowledge the chosen deliveries at once: each through the acknowledgement service (each audited),
    all in one transaction, so a refusal of one leaves every one as it was."""
    ids: list[int] = []
    for raw in request.POST.getlist("delivery")[: MAX_BULK + 1]:
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    back = request.POST.get("next", "")
    if not back or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    if len(ids) > MAX_BULK:
        messages.error(request, _("Choose at most %(n)s reports at once.") % {"n": MAX_BULK})
        return redirect(back or "intake:inbox")
    if not ids:
        messages.error(request, _("Choose the reports to acknowledge first."))
        return redirect(back or "intake:inbox")
    deliveries = list(
        scope(request.user, Delivery.objects.filter(pk__in=ids), DeliveryAction.ACKNOWLEDGE).select_related(
            "organisation", "report"
        )
    )
    if len(deliveries) != len(set(ids)):
        # Someone else's delivery, or one the user may not acknowledge: nothing is done (no hint which).
        raise PermissionDenied
    ctx = AuditContext.from_request(request)
    done = 0
    try:
        with transaction.atomic():
            for delivery in deliveries:
                if delivery.acknowledged_at is None:
                    delivery_acknowledge(delivery=delivery, ctx=ctx)
                    done += 1
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    messages.success(
        request,
        ngettext("%(n)s report acknowledged.", "%(n)s reports acknowledged.", done) % {"n": done},
    )
    return redirect(back or "intake:inbox")
