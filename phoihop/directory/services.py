"""Writes of the directory: people, their API keys and organisations' contact details."""

from __future__ import annotations

import hashlib
import secrets

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.core.permissions import can

from .choices import Role
from .models import CONTACT_FIELDS, ApiToken, Organisation, User
from .permissions import OrganisationAction


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


def organisation_contact_update(*, organisation: Organisation, values: dict[str, str], ctx: AuditContext) -> list[str]:
    """Keep an organisation's contact details (Đ3.2: its head, or an administrator); returns the fields changed.

    A field the rule set gives is versioned data (Đ19) and is changed there, not here.
    """
    if not can(ctx.actor, OrganisationAction.EDIT_CONTACT, organisation):
        raise NotAllowed(_("Only the organisation's head or an administrator may change its contact details."))
    locked = sorted(set(values) & set(organisation.contact_from_ruleset))
    if locked:
        raise Invalid({locked[0]: [_("This field comes from the rule set; change it there.")]})
    unknown = sorted(set(values) - set(CONTACT_FIELDS))
    if unknown:
        raise Invalid({unknown[0]: [_("Not a contact field.")]})
    values = {f: (v or "").strip() for f, v in values.items()}
    for f in ("phone", "focal_point_phone"):
        if values.get(f) and not _is_phone(values[f]):
            raise Invalid({f: [_("Enter a phone number, e.g. 0299 3822 123 or +84 299 3822 123.")]})
    changes = {f: [getattr(organisation, f), v] for f, v in values.items() if getattr(organisation, f) != v}
    if not changes:
        return []
    for f, (_old, new) in changes.items():
        setattr(organisation, f, new)
    others = [f.name for f in Organisation._meta.fields if f.name not in changes]
    try:
        organisation.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        organisation.refresh_from_db(fields=list(changes))
        raise Invalid(exc.message_dict) from exc
    with transaction.atomic():
        organisation.save(update_fields=list(changes))
        audit_record(
            ctx=ctx,
            action="organisation.contact",
            obj=organisation,
            summary=organisation.code,
            data={"changed": changes},
        )
    return sorted(changes)


def _is_phone(value: str) -> bool:
    """A Vietnamese or international phone number (phonenumbers, region VN)."""
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)
