"""Writes of the directory: people and their API keys."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from phoihop.audit.services import AuditContext, audit_record

from .choices import Role
from .models import ApiToken, Organisation, User


def api_token_issue(*, organisation: Organisation, name: str, ctx: AuditContext) -> tuple[ApiToken, str]:
    """Issue an API key for `organisation`; returns (token, key). The key is not stored, only its hash."""
    username = f"api@{organisation.code}"
    role = Role.ENTERPRISE_REPORTER if organisation.is_enterprise else Role.OFFICER
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=username, defaults={"organisation": organisation, "role": role, "first_name": "API"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        prefix = secrets.token_hex(4)
        key = f"{prefix}.{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            organisation=organisation,
            user=user,
            name=name.strip()[:100] or "API",
            prefix=prefix,
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
        )
        audit_record(ctx=ctx, action="api_token.issue", obj=token, summary=str(token))
    return token, key
