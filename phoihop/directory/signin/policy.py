"""Who must pass a second factor, and where a session stands (kept in the session: no query per request)."""

from __future__ import annotations

from django.conf import settings
from django_otp import user_has_device

from phoihop.directory.choices import Role

# Heads decide on reports and cases (Đ3.2), hub coordinators route every report (Đ5.2), system
# administrators manage accounts: a stolen password alone must not open their accounts.
REQUIRED_ROLES = frozenset({Role.HEAD, Role.HUB_COORDINATOR, Role.SYSADMIN})

STATE_KEY = "phoihop.second_factor"
NONE = "none"  # no device, none required: the password was enough
WAIVED = "waived"  # a demo account under `phoihop serve --demo`
VERIFY = "verify"  # a confirmed device: the code is still to be given
SETUP = "setup"  # required, and no device yet: to be set up before anything else
PASSED = "passed"  # the second step was passed in this session
OPEN_STATES = frozenset({NONE, WAIVED, PASSED})


def second_factor_required(user) -> bool:
    return bool(user.is_superuser or user.role in REQUIRED_ROLES)


def second_factor_waived(user) -> bool:
    """Only a demo account, and only while the demo runs: PHOIHOP_DEMO is set by `serve --demo` alone."""
    return bool(getattr(settings, "PHOIHOP_DEMO", False) is True and getattr(user, "demo_account", False))


def second_factor_state(user) -> str:
    """What a fresh password sign-in of `user` still owes (a query per kind of device)."""
    if second_factor_waived(user):
        return WAIVED
    if user_has_device(user, confirmed=True):
        return VERIFY
    return SETUP if second_factor_required(user) else NONE
