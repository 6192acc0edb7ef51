"""Pages of the countermeasures app: the queue (asked of my organisation / asked by it), one measure with the moves
the viewer may make, the request form from a case, and the panels on the case and indicator pages. Every measure
is fetched through the permission scope (out of scope is a 404) and every write goes through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.audit.services import AuditContext
from phoihop.cases.models import Case
from phoihop.cases.permissions import can as case_can
from phoihop.cases.permissions import visible_cases
from phoihop.cases.selectors import case_for, case_indicators
from phoihop.core.errors import DomainError, Invalid
from phoihop.directory.choices import OrganisationType
from phoihop.directory.models import Organisation
from phoihop.documents.selectors import documents_for

from .choices import Status
from .filters import QUEUE_CHOICES, STATUS_CHOICES, CountermeasureFilter
from .forms import RequestForm
from .permissions import may_request
from .rules import kind_label, rules_in_force
from .selectors import (
    case_countermeasures,
    countermeasure_for,
    countermeasure_list_for,
    indicator_countermeasures,
    with_labels,
)
from .services import ISSUED, countermeasure_move, countermeasure_request
from .workflow import COUNTERMEASURE_WORKFLOW

PAGE_SIZE = 50
QUEUES = ("incoming", "outgoing", "all")
STATUS_FILTERS = ("pending", *Status.values)


def _default_queue(user) -> str:
    org = user.organisation
    return "incoming" if org is not None and org.type == OrganisationType.ENTERPRISE else "all"


@login_required
def countermeasure_list(request):
    """The measures the viewer may see, filtered by the API's FilterSet; an enterprise starts on what is asked of it
    and still pending (its work queue)."""
    user = request.user
    params = request.GET.copy()
    queue = params.get("queue") or _default_queue(user)
    queue = queue if queue in QUEUES else "all"
    if "status" not in params and queue == "incoming":
        params["status"] = "pending"
    if queue == "all":
        params.pop("queue", None)
    else:
        params["queue"] = queue
    filters = CountermeasureFilter(params, queryset=countermeasure_list_for(user), request=request)
    qs = filters.qs if filters.is_valid() else countermeasure_list_for(user).none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    status = params.get("status", "")
    context = {
        "page": page,
        "items": with_labels(list(page.object_list)),
        "queue": queue,
        "case_filter": params.get("case", ""),
        "status": status if status in STATUS_FILTERS else "",
        "queues": [*QUEUE_CHOICES, ("all", _("All I may see"))],
        "statuses": [("", _("Any state")), *STATUS_CHOICES],
    }
    return render(request, "countermeasures/list.html", context)


def _get_or_404(user, reference: str):
    cm = countermeasure_for(user, reference)
    if cm is None:
        raise Http404
    return cm


def _detail_context(request, cm, bound: dict | None = None, refusal: DomainError | None = None) -> dict:
    user = request.user
    with_labels([cm])
    cm.indicator.kind_label = kind_label(cm.indicator.kind)
    moves = COUNTERMEASURE_WORKFLOW.available(user, cm)
    bound = bound or {}
    return {
        "cm": cm,
        "moves": [(m, bound.get(m.name) or m.form(obj=cm, user=user)) for m in moves],
        "case_visible": case_can(user, "view", cm.case),
        "document_visible": bool(cm.document_id and documents_for(user).filter(pk=cm.document_id).exists()),
        "refusal": refusal,
    }


@login_required
def countermeasure_detail(request, reference: str):
    cm = _get_or_404(request.user, reference)
    return render(request, "countermeasures/detail.html", _detail_context(request, cm))


@login_required
@require_POST
def countermeasure_move_view(request, reference: str, name: str):
    """Make a move from the page: the same move object, form and service as the API's."""
    cm = _get_or_404(request.user, reference)
    if name not in COUNTERMEASURE_WORKFLOW or name == "lift_on_delisting":
        raise Http404
    spec = COUNTERMEASURE_WORKFLOW.get(name)
    form = spec.form(obj=cm, user=request.user, data=request.POST)
    if form.is_valid():
        try:
            cm, changed = countermeasure_move(
                countermeasure=cm, move=name, ctx=AuditContext.from_request(request), data=form.params()
            )
        except Invalid as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except DomainError as exc:
            context = _detail_context(request, cm, refusal=exc)
            return render(request, "countermeasures/detail.html", context, status=exc.status_code)
        else:
            messages.success(request, _("Recorded: %(move)s.") % {"move": spec.label} if changed else _("No change."))
            return redirect("countermeasures:detail", reference=cm.reference)
    context = _detail_context(request, cm, bound={name: form})
    return render(request, "countermeasures/detail.html", context, status=400)


def _case_or_404(user, reference: str) -> Case:
    case = case_for(user, reference)
    if case is None:
        raise Http404
    return case


@login_required
@require_http_methods(["GET", "POST"])
def countermeasure_new(request, case_reference: str):
    """Đ4.2, Đ11.3: the lead of a case asks an enterprise for a measure on one of the case's values."""
    user = request.user
    case = _case_or_404(user, case_reference)
    if not may_request(user, case):
        raise Http404  # nothing to offer: the button shows only to those who may
    rules = rules_in_force()
    indicators = list(case_indicators(case))
    initial = {}
    if request.GET.get("indicator", "").isdigit():
        initial["indicator"] = int(request.GET["indicator"])
    documents = list(documents_for(user).filter(case=case, status__in=ISSUED).order_by("-created_at")[:100])
    form = RequestForm(request.POST or None, indicators=indicators, rules=rules, documents=documents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        indicator = next((i for i in indicators if i.pk == data["indicator"]), None)
        target = Organisation.objects.filter(code=data["target"]).first()
        try:
            if indicator is None or target is None:
                raise Invalid({"indicator" if indicator is None else "target": [_("Choose one of the list.")]})
            cm = countermeasure_request(
                case=case,
                indicator=indicator,
                action=data["action"],
                target=target,
                legal_basis=data["legal_basis"],
                instructions=data.get("instructions") or "",
                due_on=data.get("due_on"),
                document=next((d for d in documents if d.pk == data.get("document")), None),
                ctx=AuditContext.from_request(request),
            )
        except Invalid as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Countermeasure %(ref)s requested from %(org)s.") % {"ref": cm.reference, "org": target.display_name},
            )
            return redirect(reverse("cases:detail", args=[case.reference]) + "#countermeasures")
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "rules": list(rules.values())}
    return render(request, "countermeasures/new.html", context, status=status)


# --- Panels on other apps' pages (core.registry.register_panel, in apps.py) --------------------------------------


def case_panel(request, case) -> dict | None:
    """The case page: its measures the viewer may see, and the request button for the lead's staff."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    items, total = case_countermeasures(user, case)
    allowed = may_request(user, case)
    if not items and not allowed:
        return None
    return {"countermeasures": items, "cm_total": total, "may_request_countermeasure": allowed, "cm_case": case}


def indicator_panel(request, indicator) -> dict | None:
    """The indicator page: the measures on this value that the viewer may see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    items = indicator_countermeasures(user, indicator)
    # The open cases naming the value that the viewer's organisation leads: a request may start from here.
    cases = [
        c
        for c in visible_cases(user)
        .filter(lead_organisation_id=user.organisation_id, report_links__report__indicator_links__indicator=indicator)
        .distinct()
        .order_by("-created_at")[:10]
        if may_request(user, c)
    ]
    if not items and not cases:
        return None
    return {"countermeasures": items, "cm_indicator": indicator, "cm_request_cases": cases}
