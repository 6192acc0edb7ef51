"""The second step of signing in, setting up an authenticator, and the security page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Invalid

from .forms import CodeForm, PasswordForm, SetupForm, add_domain_errors
from .policy import NONE, PASSED, SETUP, STATE_KEY, VERIFY, second_factor_required, second_factor_state
from .services import (
    recovery_codes_renew,
    second_factor_check,
    second_factor_remove,
    totp_device_confirm,
    totp_device_pending,
)


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _state(request) -> str:
    if STATE_KEY not in request.session:
        request.session[STATE_KEY] = second_factor_state(request.user)
    return request.session[STATE_KEY]


def _passed(request, device) -> None:
    otp_login(request, device)
    request.session[STATE_KEY] = PASSED


@never_cache
@login_required
def verify(request):
    """Second step: a code from the authenticator app, or a recovery code (each works once)."""
    if _state(request) != VERIFY:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_check(
                ctx=AuditContext.from_request(request), user=request.user, code=form.cleaned_data["code"]
            )
        except Invalid as exc:
            add_domain_errors(form, exc)
        else:
            _passed(request, device)
            if not isinstance(device, TOTPDevice):
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(request, _("Recovery code used. You have %(left)d left.") % {"left": left})
            return redirect(_next_url(request))
    return render(request, "registration/second_factor_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@sensitive_post_parameters("password")
@login_required
def setup(request):
    """Set up an authenticator app: scan the QR code, confirm one code, keep the recovery codes."""
    state = _state(request)
    if state == VERIFY:  # a device exists: it must be passed first, never replaced with a password alone
        return redirect("signin:verify")
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("signin:security")
    device = totp_device_pending(user=request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_device_confirm(ctx=AuditContext.from_request(request), device=device, **form.cleaned_data)
        except Invalid as exc:
            add_domain_errors(form, exc)
        else:
            _passed(request, device)
            return _recovery_codes_page(request, codes, next_url=_next_url(request))
    import segno  # the QR code library loads when a second factor is set up

    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=5, dark="#111", light="#fff", title=_("QR code for your authenticator app")),
        "secret": _spaced(device.config_url),
        "required": state == SETUP,
        "next": _next_url(request),
    }
    return render(request, "registration/second_factor_setup.html", context)


@never_cache
@sensitive_post_parameters("password")
@login_required
def security(request):
    """Anyone's own security page: set up or remove the second factor, renew the recovery codes."""
    user = request.user
    form = PasswordForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and action in {"remove", "renew"} and form.is_valid():
        ctx = AuditContext.from_request(request)
        try:
            if action == "renew":
                codes = recovery_codes_renew(ctx=ctx, user=user, password=form.cleaned_data["password"])
                return _recovery_codes_page(request, codes, next_url=request.path)
            second_factor_remove(ctx=ctx, user=user, password=form.cleaned_data["password"])
        except Invalid as exc:
            add_domain_errors(form, exc)
        else:
            request.session[STATE_KEY] = SETUP if second_factor_required(user) else NONE
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("signin:security")
    context = {
        "form": form,
        "enabled": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
        "required": second_factor_required(user),
        "idle_minutes": settings.PHOIHOP_SESSION_IDLE_MINUTES,
        "max_hours": settings.PHOIHOP_SESSION_MAX_HOURS,
    }
    return render(request, "registration/security.html", context)


def _recovery_codes_page(request, codes: list[str], *, next_url: str):
    """Shown once: the codes are never displayed again (only a count is)."""
    response = render(request, "registration/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


def _spaced(config_url: str) -> str:
    """The secret of an otpauth:// URL in groups of four, to type by hand when the camera cannot scan."""
    from urllib.parse import parse_qs, urlsplit

    secret = parse_qs(urlsplit(config_url).query).get("secret", [""])[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
