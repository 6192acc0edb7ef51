"""Newsroom subscriptions: the officers' list (add one, confirmed at once) and the public double opt-in
(ask, confirm by the e-mailed link, unsubscribe). Confirming and unsubscribing are POSTs: a mail scanner
that follows links changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from phoihop.core.errors import DomainError
from phoihop.intake.views.ratelimit import too_many

from .. import permissions as perm
from .. import services
from ..forms import NewsroomForm
from ..models import NewsroomSubscription
from .common import ctx_of


@login_required
@require_http_methods(["GET", "POST"])
def newsroom_list(request):
    if not perm.may_draft_warning(request.user):
        raise PermissionDenied
    form = NewsroomForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.subscription_add(ctx=ctx_of(request), **form.cleaned_data)
            except DomainError as exc:
                for name, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
                status = exc.status_code
            else:
                messages.success(request, _("The newsroom is subscribed."))
                return redirect("alerts:newsroom")
        else:
            status = 400
    subscriptions = NewsroomSubscription.objects.all()
    return render(request, "alerts/newsroom_list.html", {"form": form, "subscriptions": subscriptions}, status=status)


def _subscribe_budget_spent(request) -> int | None:
    """Seconds to wait when this address asked for too many subscriptions (each sends a confirmation e-mail)."""
    rate = getattr(settings, "PHOIHOP_RATE_NEWSROOM_SUBSCRIBE", "10/h")
    usage = get_usage(request, group="alerts:newsroom-subscribe", key="ip", rate=rate, increment=True)
    if usage is not None and usage["should_limit"]:
        return max(usage["time_left"], 1)
    return None


@require_http_methods(["GET", "POST"])
def newsroom_subscribe(request):
    form = NewsroomForm(request.POST or None)
    status = 200
    if request.method == "POST":
        wait = _subscribe_budget_spent(request)
        if wait is not None:
            return too_many(request, wait)
        if form.is_valid():
            try:
                services.subscription_request(ctx=ctx_of(request), **form.cleaned_data)
            except DomainError as exc:
                for name, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
                status = exc.status_code
            else:
                return render(request, "alerts/newsroom_done.html", {"step": "asked"})
        else:
            status = 400
    return render(request, "alerts/newsroom_subscribe.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def newsroom_confirm(request, token: str):
    return _token_step(request, token, step="confirmed", service=services.subscription_confirm)


@require_http_methods(["GET", "POST"])
def newsroom_unsubscribe(request, token: str):
    return _token_step(request, token, step="unsubscribed", service=services.subscription_end)


def _token_step(request, token: str, *, step: str, service):
    sub = NewsroomSubscription.objects.filter(token=token).first()
    if sub is None:
        return render(request, "alerts/newsroom_done.html", {"step": "invalid"}, status=404)
    if request.method == "POST":
        try:
            service(token=token, ctx=ctx_of(request))
        except DomainError as exc:
            return render(
                request, "alerts/newsroom_done.html", {"step": "refused", "error": exc.message}, status=exc.status_code
            )
        return render(request, "alerts/newsroom_done.html", {"step": step, "subscription": sub})
    return render(request, "alerts/newsroom_token.html", {"subscription": sub, "step": step})
