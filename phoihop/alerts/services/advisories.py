"""Writes of advisories: drafting one (with its audience, indicators and files) and acknowledging it.

Sending and withdrawing are moves of ADVISORY_WORKFLOW (workflow.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.directory.models import Function, Organisation

from .. import permissions as perm
from ..audience import audience_type_choices
from ..choices import AccessLevel, AdvisoryKind, AdvisoryStatus
from ..models import Advisory, AdvisoryFile, AdvisoryRecipient
from ..workflow import ADVISORY_WORKFLOW
from .files import check_files
from .indicators import indicator_rows, parse_indicators

MAX_TITLE = 300


@dataclass
class AdvisoryInput:
    """What a person (form) or a system (API) gives for a new advisory."""

    kind: str
    title: str
    method: str
    advice: str = ""
    access_level: str = AccessLevel.NORMAL
    functions: list[str] = field(default_factory=list)  # function codes
    types: list[str] = field(default_factory=list)  # "police", "enterprise:telecom"
    organisations: list[str] = field(default_factory=list)  # organisation codes
    indicators: str = ""  # one per line
    files: list = field(default_factory=list)


def _next_reference(year: int) -> str:
    prefix = f"CB-{year}-"
    last = (
        Advisory.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _check(data: AdvisoryInput, user) -> tuple[list[Function], list[Organisation], list]:
    errors: dict[str, list[str]] = {}
    if data.kind not in AdvisoryKind.values:
        errors["kind"] = [_("Choose the kind of advisory.")]
    elif data.kind not in perm.issuable_kinds(user):
        raise NotAllowed(_("Your organisation does not issue this kind of advisory."), field="kind")
    if not data.title.strip():
        errors["title"] = [_("Give the advisory a title.")]
    elif len(data.title) > MAX_TITLE:
        errors["title"] = [_("The title is at most %(n)d characters.") % {"n": MAX_TITLE}]
    if not data.method.strip():
        errors["method"] = [_("Describe the method or the subject.")]
    if data.access_level not in AccessLevel.values:
        errors["access_level"] = [_("Choose normal or restricted access.")]
    functions = list(Function.objects.filter(code__in=set(data.functions)))
    if len(functions) != len(set(data.functions)):
        unknown = sorted(set(data.functions) - {f.code for f in functions})
        errors["functions"] = [_("Unknown function: %(codes)s.") % {"codes": ", ".join(unknown)}]
    known_types = {code for code, _label in audience_type_choices()}
    if set(data.types) - known_types:
        unknown = sorted(set(data.types) - known_types)
        errors["types"] = [_("Unknown type of organisation: %(codes)s.") % {"codes": ", ".join(unknown)}]
    organisations = list(Organisation.objects.filter(code__in=set(data.organisations)))
    if len(organisations) != len(set(data.organisations)):
        unknown = sorted(set(data.organisations) - {o.code for o in organisations})
        errors["organisations"] = [_("Unknown organisation: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if not (data.functions or data.types or data.organisations) and not {"functions", "types", "organisations"} & set(
        errors
    ):
        errors["audience"] = [_("Choose the recipients: functions, types of organisation or organisations.")]
    try:
        keys = parse_indicators(data.indicators)
    except Invalid as exc:
        errors.update(exc.errors)
        keys = []
    if errors:
        raise Invalid(errors)
    return functions, organisations, keys


def advisory_create(*, data: AdvisoryInput, ctx: AuditContext, send: bool = False) -> Advisory:
    """A draft advisory of the actor's organisation (sent at once when `send`); refused whole (naming the field)
    or written whole: a send that is refused leaves no draft behind either."""
    user = ctx.actor
    if not perm.may_issue(user):
        raise NotAllowed(_("Your organisation does not issue advisories."))
    functions, organisations, keys = _check(data, user)
    files = check_files(data.files)  # read and checked before the transaction: no lock held meanwhile
    with transaction.atomic():
        advisory = Advisory.objects.create(
            reference=_next_reference(timezone.localdate().year),
            kind=data.kind,
            title=data.title.strip(),
            method=data.method.strip(),
            advice=data.advice.strip(),
            access_level=data.access_level,
            sender_id=user.organisation_id,
            created_by=user,
            audience_types=sorted(set(data.types)),
        )
        advisory.audience_functions.set(functions)
        advisory.audience_organisations.set(organisations)
        advisory.indicators.set(indicator_rows(keys))
        AdvisoryFile.objects.bulk_create([AdvisoryFile(advisory=advisory, **f.row_fields()) for f in files])
        audit_record(
            ctx=ctx,
            action="advisory.create",
            obj=advisory,
            summary=advisory.reference,
            data={"kind": data.kind, "access": data.access_level, "files": len(files), "indicators": len(keys)},
        )
        if send:
            advisory = ADVISORY_WORKFLOW.run("send", obj=advisory, ctx=ctx)
    return advisory


def advisory_acknowledge(*, advisory: Advisory, ctx: AuditContext) -> AdvisoryRecipient:
    """The actor's organisation acknowledges the advisory it received (once)."""
    user = ctx.actor
    with transaction.atomic():
        row = (
            AdvisoryRecipient.objects.select_for_update()
            .filter(advisory=advisory, organisation_id=getattr(user, "organisation_id", None))
            .first()
        )
        if row is None or user.role not in perm.ACKNOWLEDGING_ROLES:
            raise NotAllowed(_("Your organisation is not a recipient of this advisory."))
        current = Advisory.objects.only("status").get(pk=advisory.pk)
        if current.status != AdvisoryStatus.SENT:
            raise Conflict(_("This advisory was withdrawn; there is nothing to acknowledge."))
        if row.acknowledged_at is not None:
            raise Conflict(_("Your organisation acknowledged this advisory already."))
        row.acknowledged_at, row.acknowledged_by = timezone.now(), user
        row.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(
            ctx=ctx,
            action="advisory.acknowledge",
            obj=advisory,
            summary=f"{advisory.reference} ← {user.organisation.code}",
            data={"organisation": user.organisation.code},
        )
    return row


def advisory_record_view(*, advisory: Advisory, ctx: AuditContext, via: str) -> None:
    """Đ3.1, Đ17.1: every reading of a restricted advisory leaves a trace."""
    if advisory.access_level == AccessLevel.RESTRICTED:
        audit_record(ctx=ctx, action="advisory.view", obj=advisory, summary=advisory.reference, data={"via": via})
