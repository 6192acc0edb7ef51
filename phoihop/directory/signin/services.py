"""Second-factor devices: set up, checked, removed; every change and every refused code audited."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Invalid

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
STATIC_NAME = "recovery"


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (the same one until confirmed, so its QR code stays)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def _password_check(user, password: str) -> None:
    if not password or not user.check_password(password):
        raise Invalid({"password": [_("Your password is not correct.")]})


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=STATIC_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_device_confirm(*, ctx: AuditContext, device: TOTPDevice, password: str, code: str) -> list[str]:
    """Confirm the authenticator with its first code; return the new recovery codes (shown once)."""
    user = device.user
    _password_check(user, password)
    if device.confirmed or not device.verify_token(_digits(code)):  # a refusal is counted on the device
        raise Invalid({"code": [_("This code is not correct. Check the time on your phone and try again.")]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _recovery_codes_replace(user)
        audit_record(ctx=ctx, action="user.second_factor_add", obj=user, summary=user.get_username())
    return codes


def second_factor_check(*, ctx: AuditContext, user, code: str):
    """The device that accepts `code` (an authenticator's six digits, or an unused recovery code).

    A refused code is audited and raises Invalid; each device slows down guessing on its own
    (django-otp's throttling: after n failures, 2^(n-1) seconds before the next try is even looked at)."""
    code = code.strip().replace(" ", "").replace("-", "")
    device = None
    if code:
        kind = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
        for candidate in kind.objects.filter(user=user, confirmed=True):
            device = verify_token(user, candidate.persistent_id, code.lower())
            if device is not None:
                break
    if device is None:
        with transaction.atomic():
            audit_record(ctx=ctx, action="user.second_factor_failed", obj=user, summary=user.get_username())
        raise Invalid({"code": [_("This code is not correct.")]})
    with transaction.atomic():
        if isinstance(device, StaticDevice):
            left = StaticToken.objects.filter(device=device).count()
            audit_record(
                ctx=ctx, action="user.recovery_code_used", obj=user, summary=user.get_username(), data={"left": left}
            )
    return device


def second_factor_remove(*, ctx: AuditContext, user, password: str) -> None:
    """Remove the authenticator and the recovery codes (the password is asked again)."""
    _password_check(user, password)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(ctx=ctx, action="user.second_factor_remove", obj=user, summary=user.get_username())


def recovery_codes_renew(*, ctx: AuditContext, user, password: str) -> list[str]:
    """New recovery codes in place of the old ones (all of them stop working)."""
    _password_check(user, password)
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_record(ctx=ctx, action="user.recovery_codes_renew", obj=user, summary=user.get_username())
    return codes


def _digits(code: str) -> str:
    return re.sub(r"\s", "", code or "")
