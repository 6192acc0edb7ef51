"""The inbox that triages: an organisation's deliveries, filtered, each with what it is about and its deadline,
acknowledged one by one or several at once (Đ3.3: the focal point receives; Đ3.4: "immediately").

Fast at a million deliveries: the list walks the delivery_inbox index (organisation, acknowledged_at,
delivered_at) and stops at the end of the page. The header's counts stop at a thousand
(inbox.selectors.inbox_counts: "more than 1,000"); an inbox that small is paged with numbered pages, a larger
or a filtered one is never counted, only told whether there is a next page. A page is found by its ids alone
(an index walk, no join), then its 50 rows are read with their report.

The queries were never the bulk of the page: the template was (2-3 ms of CPU per row for its translations,
dates and includes, and 40 ms for the filter form's 300 options built from three queries). So the rows are
written here, with every label translated once per page (`_RowWriter`, the same markup as
partials/inbox_row.html, which the acknowledgement's HTMX answer renders; a test keeps the two alike), and
the form's lists of sectors, violations and areas come from a per-process snapshot of the reference data
(`_filter_options`, core.refcache), already escaped.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Hashable
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, number_format
from django.utils.html import conditional_escape, escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.audit.services import AuditContext
from phoihop.core.errors import NotAllowed
from phoihop.core.permissions import can, scope
from phoihop.core.refcache import ReferenceCache
from phoihop.directory.models import AdministrativeUnit
from phoihop.inbox.models import Delivery
from phoihop.inbox.permissions import DeliveryAction, may_acknowledge
from phoihop.inbox.selectors import ack_deadline, inbox_counts, inbox_for
from phoihop.inbox.services import deliveries_acknowledge
from phoihop.taxonomy.models import Behaviour, Sector

from ..filters import InboxFilter, _behaviour_label

PAGE_SIZE = 50
EXCERPT_CHARS = 140
MAX_PAGE = 200  # of an uncounted inbox: further back, a narrower filter serves better
MAX_BULK = 100  # deliveries acknowledged by one request (a page holds 50)


def _page_number(raw: str | None) -> int:
    try:
        return min(max(int(raw or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


# --- The filter form's lists, from reference data held in memory ---------------------------------------------


def _build_filter_options(language: Hashable) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of every sector, violation and area, escaped, in the filter's own order and wording."""

    def pairs(rows, label) -> list[tuple[str, str]]:
        return [(escape(row.code), escape(label(row))) for row in rows]

    return {
        "sector": pairs(Sector.objects.order_by("position"), str),
        "behaviour": pairs(Behaviour.objects.order_by("position"), _behaviour_label),
        "area": pairs(AdministrativeUnit.objects.order_by("depth", "name"), str),
    }


# Rebuilt when reference data changes (a rule-set load or an admin change bumps the generation), one per language.
_filter_options = ReferenceCache(_build_filter_options)


class _ReadySelect(forms.Select):
    """A <select> whose options are written from a ready list (no query, no template per option)."""

    def __init__(self, options: list[tuple[str, str]], empty_label):
        super().__init__()
        self.options, self.empty_label = options, empty_label

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = escape(value) if value not in (None, "") else ""
        parts = [f"<select{flatatt({'name': name, **self.build_attrs(self.attrs, attrs)})}>"]
        parts.append(
            f'<option value=""{" selected" if not chosen else ""}>{conditional_escape(self.empty_label)}</option>'
        )
        parts.extend(
            f'<option value="{code}"{" selected" if code == chosen else ""}>{label}</option>'
            for code, label in self.options
        )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


class _TriageFilter(InboxFilter):
    """The inbox's filters, their lists drawn from memory (validating a chosen value still reads its row)."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "ready_lists", False):
            options = _filter_options.get(get_language())
            for name, choices in options.items():
                form.fields[name].widget = _ReadySelect(choices, form.fields[name].empty_label)
            form.ready_lists = True
        return form


# --- The rows ---------------------------------------------------------------------------------------------------


def _excerpt(text: str) -> str:
    """The template's truncatechars:140, without walking a text already short enough."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= EXCERPT_CHARS else Truncator(text).chars(EXCERPT_CHARS)


class _RowWriter:
    """Writes the inbox's rows (the markup of partials/inbox_row.html) with every label translated, every
    format looked up and every link reversed once per page rather than once per row."""

    def __init__(self, *, can_acknowledge: bool, deadline: dt.datetime):
        self.can_acknowledge, self.deadline = can_acknowledge, deadline
        self.short = get_format("SHORT_DATETIME_FORMAT")
        self.labels = {
            k: escape(v)
            for k, v in {
                "received": _("Received"),
                "violation": _("Violation"),
                "place": _("Place"),
                "why": _("Why it came to us"),
                "deadline": _("Deadline"),
                "acknowledged": _("Acknowledged"),
                "overdue": _("overdue"),
                "waiting": _("Not acknowledged"),
                "acknowledge": _("Acknowledge"),
                "not_sure": _("Not sure"),
            }.items()
        }
        self.choose, self.ago, self.due = _("Choose %(code)s"), _("%(age)s ago"), _("due %(when)s")
        marker = "0REF0"
        self.detail = reverse("intake:detail", args=[marker]).split(marker)
        self.acknowledge = reverse("intake:acknowledge", args=[marker]).split(marker)
        self.now = timezone.now()

    def _when(self, moment: dt.datetime, fmt: str) -> str:
        return dateformat.format(timezone.localtime(moment), fmt)

    def _violation(self, report) -> str:
        if report.behaviour_id:
            b = report.behaviour
            return f'<span class="cite">{escape(b.citation)}</span> {escape(b.help)}'
        sector = f" · {escape(report.sector.name)}" if report.sector_id else ""
        return f'<span class="muted">{self.labels["not_sure"]}{sector}</span>'

    def row(self, d: Delivery) -> str:
        report, L = d.report, self.labels
        ref = escape(report.reference)
        path = quote(report.reference, safe="")
        acknowledged = d.acknowledged_at is not None
        out = [f'<tr id="delivery-{d.pk}" data-reference="{ref}" class="{"" if acknowledged else "unacknowledged"}">']
        if self.can_acknowledge:
            pick = ""
            if not acknowledged:
                label = escape(self.choose % {"code": report.reference})
                pick = f'<input type="checkbox" name="delivery" value="{d.pk}" id="pick-{d.pk}" aria-label="{label}">'
            out.append(f'<td class="pick">{pick}</td>')
        age = escape(self.ago % {"age": timesince(d.delivered_at, self.now)})
        delivered = timezone.localtime(d.delivered_at)
        out.append(
            f'<td class="nowrap" data-label="{L["received"]}"><time datetime="{delivered.isoformat()}">'
            f"{escape(dateformat.format(delivered, self.short))}</time><br>"
            f'<small class="muted" data-testid="age">{age}</small></td>'
        )
        out.append(
            f'<td class="excerpt"><a href="{escape(path.join(self.detail))}" class="code">{ref}</a>'
            f'<p class="small" data-testid="excerpt">{escape(_excerpt(report.description))}</p></td>'
        )
        out.append(f'<td data-label="{L["violation"]}">{self._violation(report)}</td>')
        place = escape(report.area.name) if report.area_id else "—"
        out.append(f'<td data-label="{L["place"]}">{place}</td>')
        out.append(f'<td data-label="{L["why"]}"><span class="cite">{escape(d.articles)}</span></td>')
        out.append(f'<td data-testid="ack-status" data-label="{L["deadline"]}">')
        if acknowledged:
            by = ""
            if d.acknowledged_by_id:
                who = d.acknowledged_by
                by = f" · {escape(who.get_full_name() or who.username)}"
            out.append(
                f'<span class="tag green">{L["acknowledged"]}</span><br>'
                f'<small class="muted">{escape(self._when(d.acknowledged_at, self.short))}{by}</small>'
            )
        else:
            if d.delivered_at < self.deadline:
                out.append(f'<span class="tag red overdue" data-testid="overdue">{L["overdue"]}</span>')
            else:
                out.append(f'<span class="tag amber">{L["waiting"]}</span>')
            due = d.delivered_at + dt.timedelta(minutes=settings.PHOIHOP_ACK_DEADLINE_MINUTES)
            out.append(f'<br><small class="muted">{escape(self.due % {"when": self._when(due, self.short)})}</small>')
            if self.can_acknowledge:
                url = escape(path.join(self.acknowledge))
                out.append(
                    f'<br><button type="submit" class="button small ack" formaction="{url}" hx-post="{url}"'
                    f' hx-target="closest tr" hx-swap="outerHTML">{L["acknowledge"]}</button>'
                )
        out.append("</td></tr>")
        return "".join(out)

    def rows(self, deliveries: list[Delivery]) -> SafeString:
        return mark_safe("\n".join(self.row(d) for d in deliveries))  # noqa: S308 - every value is escaped in row()


def _page_rows(user, qs, start: int, size: int) -> list[Delivery]:
    """Rows start..start+size of `qs` in its order: their ids first (a walk of the inbox's index with the
    filters and the permission scope, no join for the columns), then those rows with their report by primary
    key alone. The scope chose the ids; asking it again (organisation_id = ? AND id IN (...)) made SQLite,
    which has no statistics to weigh the two, walk the organisation's million deliveries for 51 ids (~190 ms
    of CPU at a hub). Each row read is still checked with can() (Đ3.3: staff of the receiving organisation)."""
    ids = list(qs.values_list("pk", flat=True)[start : start + size])
    if not ids:
        return []
    rows = Delivery.objects.filter(pk__in=ids).select_related(*_ROW_RELATED).defer("report__search_text")
    found = {d.pk: d for d in rows if can(user, DeliveryAction.VIEW, d)}
    return [found[pk] for pk in ids if pk in found]


_ROW_RELATED = ("report__behaviour", "report__area", "report__sector", "acknowledged_by")


@login_required
@require_GET
def inbox(request):
    """The reports delivered to the user's organisation, unacknowledged first, with triage filters."""
    user = request.user
    qs = inbox_for(user).select_related("acknowledged_by").defer("report__search_text")
    filters = _TriageFilter(request.GET or None, queryset=qs, request=request)
    filtered = bool(filters.is_bound and filters.active)
    counts = inbox_counts(user)
    invalid = filters.is_bound and not filters.is_valid()
    if invalid:
        deliveries, page, has_next, page_number = [], None, False, 1
    elif filtered or counts.total_capped:
        # Never counted: the page and one row more, to know whether a next page exists.
        page_number = _page_number(request.GET.get("page"))
        rows = _page_rows(user, filters.qs if filtered else qs, (page_number - 1) * PAGE_SIZE, PAGE_SIZE + 1)
        has_next = len(rows) > PAGE_SIZE and page_number < MAX_PAGE
        deliveries, page = rows[:PAGE_SIZE], None
    else:
        paginator = Paginator(qs, PAGE_SIZE)
        paginator.count = counts.total  # exact below the cap, see selectors.inbox_counts
        page = paginator.get_page(request.GET.get("page"))
        start = (page.number - 1) * PAGE_SIZE
        deliveries, has_next, page_number = _page_rows(user, qs, start, PAGE_SIZE), False, page.number
    # Beyond seeing the report, the right to acknowledge depends only on the role, so it is asked once
    # per page rather than once per row (the view of a single delivery asks again, for that report).
    can_acknowledge = bool(deliveries) and may_acknowledge(user)
    deadline = ack_deadline()
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
            "deliveries": deliveries,
            "rows": _RowWriter(can_acknowledge=can_acknowledge, deadline=deadline).rows(deliveries),
            "can_acknowledge": can_acknowledge,
            "deadline": deadline,
            "waiting": counts.waiting,
            "waiting_capped": counts.waiting_capped,
            "count_cap": number_format(counts.cap, force_grouping=True),
        },
    )


@login_required
@require_POST
def inbox_acknowledge(request):
    """Acknowledge the chosen deliveries at once (inbox.services.deliveries_acknowledge: one transaction, an
    audit event for each), so a refusal of one leaves every one as it was."""
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
    try:
        done = len(deliveries_acknowledge(deliveries=deliveries, ctx=AuditContext.from_request(request)))
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    messages.success(
        request,
        ngettext("%(n)s report acknowledged.", "%(n)s reports acknowledged.", done) % {"n": done},
    )
    return redirect(back or "intake:inbox")
