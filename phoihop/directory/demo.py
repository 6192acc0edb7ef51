"""Demo accounts: one per role, with passwords generated once per install and kept under var/."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from phoihop.audit.services import SYSTEM, audit_record

from .choices import Role
from .models import Organisation, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    organisation: str
    role: Role
    staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("dic.hub", "Nguyễn Thị Lan", "st-dic", Role.HUB_COORDINATOR),
    DemoAccount("dic.focal", "Trần Văn Minh", "st-dic", Role.FOCAL_POINT),
    DemoAccount("dic.head", "Lê Hoàng Phúc", "st-dic", Role.HEAD),
    DemoAccount("police.focal", "Phạm Quốc Huy", "st-police", Role.FOCAL_POINT),
    DemoAccount("police.officer", "Võ Thành Đạt", "st-police-investigation", Role.OFFICER),
    DemoAccount("carrier.reporter", "Huỳnh Mỹ Linh", "st-viettel", Role.ENTERPRISE_REPORTER),
    DemoAccount("admin", "Quản trị hệ thống", "st-dic", Role.SYSADMIN, staff=True),
]


def _password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-accounts.json"


def demo_passwords() -> dict[str, str]:
    path = _password_file()
    return json.loads(path.read_text()) if path.exists() else {}


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[DemoAccount, str]]:
    """Create the demo accounts that are missing; return every account with its password."""
    passwords = demo_passwords()
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={a.organisation for a in DEMO_ACCOUNTS})}
    out = []
    for account in DEMO_ACCOUNTS:
        org = orgs.get(account.organisation) or _fallback_org(account)
        user = User.objects.filter(username=account.username).first()
        if user is None or account.username not in passwords:
            password = passwords.get(account.username) or f"demo-{secrets.token_urlsafe(9)}"
            first, _, last = account.full_name.rpartition(" ")
            user = user or User(username=account.username)
            user.first_name, user.last_name = last, first  # Vietnamese names: given name last
            user.organisation, user.role = org, account.role
            user.is_staff = user.is_superuser = account.staff
            user.email = f"{account.username}@phoihop.example.vn"
            user.demo_account = True  # the second factor is waived for it under `serve --demo` only
            user.set_password(password)
            user.save()
            passwords[account.username] = password
            audit_record(ctx=SYSTEM, action="user.demo_create", obj=user, summary=account.username)
        out.append((account, passwords[account.username]))
        if account.role in {Role.FOCAL_POINT, Role.HUB_COORDINATOR} and org is not None and not org.focal_point_name:
            # Demo contact only (an .example.vn address): the directory shows who the focal point is.
            org.focal_point_name, org.focal_point_email = account.full_name, user.email
            org.save(update_fields=["focal_point_name", "focal_point_email"])
    # Accounts seeded before the flag existed are demo accounts too.
    User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS], demo_account=False).update(demo_account=True)
    path = _password_file()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(passwords, fh, indent=1)
    return out


def _fallback_org(account: DemoAccount) -> Organisation | None:
    """If the demo organisation's code is not in the loaded rule set, any of the same kind."""
    kind = {"st-viettel": "enterprise"}.get(account.organisation)
    return Organisation.objects.filter(type=kind).first() if kind else None
