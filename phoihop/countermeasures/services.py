"""Every write of the countermeasures app: keyword-only arguments, an explicit actor (`ctx`), one transaction,
an audit event, the e-mail queued in the outbox (Đ4.2, Đ11.3, Đ11.6)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.cases.events import record as case_record
from phoihop.cases.models import Case
from phoihop.cases.selectors import case_indicators
from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.core.workdays import add_working_days
from phoihop.directory.models import Organisation
from phoihop.documents.choices import DocumentStatus
from phoihop.documents.models import Document
from phoihop.documents.selectors import documents_for
from phoihop.indicators.models import Indicator

from . import notifications
from .choices import ACTIVE
from .models import Countermeasure
from .permissions import may_request
from .rules import check_fit, rules_in_force
from .workflow import COUNTERMEASURE_WORKFLOW

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_DEADLINE = dt.timedelta(days=366)
# A document is a legal basis once issued: signed or sent by its organisation, or a paper one registered.
ISSUED = (DocumentStatus.SIGNED, DocumentStatus.SENT, DocumentStatus.RECEIVED)


def _new_reference() -> str:
    year = timezone.localdate().year % 100
    return f"BP{year:02d}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def countermeasure_request(
    *,
    case: Case,
    indicator: Indicator,
    action: str,
    target: Organisation,
    legal_basis: str,
    ctx: AuditContext,
    instructions: str = "",
    due_on: dt.date | None = None,
    document: Document | None = None,
) -> Countermeasure:
    """Đ4.2, Đ11.3: the lead of a case asks an enterprise to apply a measure to one of the case's values, with the
    legal basis and a deadline in working days (the rule set's, unless one is given). Refused, naming the field,
    when the measure does not fit the value or the enterprise (countermeasures.yaml); nothing is written then."""
    user = ctx.actor
    if not may_request(user, case):
        raise NotAllowed(
            _("Only the staff of the case's lead organisation may request countermeasures on an open case.")
        )
    errors: dict[str, list[str]] = {}
    legal_basis, instructions = (legal_basis or "").strip(), (instructions or "").strip()
    if len(legal_basis) < 5:
        errors["legal_basis"] = [_("Give the legal basis: the article and the decision or document.")]
    rules = rules_in_force()
    rule = rules.get(action or "")
    if rule is None:
        errors["action"] = [_("Choose a measure of the rule set in force.")]
    if not case_indicators(case).filter(pk=indicator.pk).exists():
        errors["indicator"] = [_("Choose a value that the case's reports name.")]
    today = timezone.localdate()
    if not target.is_valid_on(today):
        errors["target"] = [_("%(org)s does not exist today.") % {"org": target.display_name}]
    if due_on is not None and due_on < today:
        errors["due_on"] = [_("The deadline cannot be in the past.")]
    elif due_on is not None and due_on > today + MAX_DEADLINE:
        errors["due_on"] = [_("The deadline is more than a year away.")]
    if document is not None and not documents_for(user).filter(pk=document.pk, case=case, status__in=ISSUED).exists():
        errors["document"] = [_("Choose a signed or received document of this case.")]
    if errors:
        raise Invalid(errors)
    assert rule is not None
    check_fit(rule=rule, indicator=indicator, target=target)
    if due_on is None:
        # Đ11.3 "kịp thời": the rule set's deadline, in working days from today (phoihop.core.workdays).
        due_on = add_working_days(today, rule.deadline_working_days)
    same = Countermeasure.objects.filter(indicator=indicator, target=target, action=rule.code, status__in=ACTIVE)
    if same.exists():
        raise Conflict(_("This measure is already asked of %(org)s for this value.") % {"org": target.display_name})
    try:
        with transaction.atomic():
            cm = Countermeasure.objects.create(
                reference=_new_reference(),
                case=case,
                indicator=indicator,
                action=rule.code,
                article=rule.article,
                target=target,
                requesting_organisation_id=user.organisation_id,
                requested_by=user,
                legal_basis=legal_basis,
                instructions=instructions,
                due_on=due_on,
                document=document,
            )
            data = {"indicator": f"{indicator.kind}:{indicator.value}", "measure": rule.code}
            data |= {"target": target.code, "due_on": due_on.isoformat(), "article": rule.article}
            if document is not None:
                data["document"] = document.reference or str(document.pk)
            audit_record(
                ctx=ctx,
                action="countermeasure.request",
                obj=cm,
                summary=cm.reference,
                data={"case": case.reference} | data,
            )
            # The case's timeline says that a measure was asked for, and of whom.
            summary = f"{cm.reference}: {rule.name} → {target.display_name}"
            case_record(ctx, case, "countermeasure", summary, countermeasure=cm.reference, **data)
            notifications.countermeasure_notify(cm, "request")
    except IntegrityError:  # two requests at once: the unique constraint keeps one
        raise Conflict(
            _("This measure is already asked of %(org)s for this value.") % {"org": target.display_name}
        ) from None
    return cm


def countermeasure_move(
    *, countermeasure: Countermeasure, move: str, ctx: AuditContext, data: Mapping[str, Any] | None = None
) -> tuple[Countermeasure, bool]:
    """Make workflow move `move` (workflow.py) for `ctx.actor`. A move repeated with the same input (a retry) is
    answered with the measure as it is and nothing written; returns the measure and whether it changed."""
    spec = COUNTERMEASURE_WORKFLOW.get(move)
    data = dict(data or {})
    user = ctx.actor
    if spec.repeats(countermeasure, data) and spec.allowed(user, countermeasure):
        return countermeasure, False
    done = COUNTERMEASURE_WORKFLOW.run(move, obj=countermeasure, data=data, ctx=ctx)
    countermeasure.refresh_from_db()  # the caller's copy shows the new state too
    return done, True


def countermeasures_lift_delisted(*, listing: Any, ctx: AuditContext | None = None, **_more: Any) -> int:
    """DELISTED_HOOK of phoihop.listing (run inside the transaction that ends the listing: an appeal upheld, a lapse,
    a hub's decision): every measure asked for or in force on the value is lifted, once, by the system, and the
    enterprise is told to undo it. The lift is the system's move; its audit event names the listing and the person
    whose decision caused it. Returns how many were lifted."""
    by = getattr(ctx, "actor_label", "system") if ctx is not None else "system"
    system = AuditContext(ip_address=getattr(ctx, "ip_address", None), label="system")
    reference = getattr(listing, "reference", "")
    why = _("Delisted (%(listing)s).") % {"listing": reference}
    end_reason = (getattr(listing, "end_reason", "") or "").strip()
    if end_reason:
        why = f"{why} {end_reason}"
    lifted = 0
    for cm in Countermeasure.objects.filter(indicator_id=listing.indicator_id, status__in=ACTIVE).order_by("pk"):
        data = {"reason": why, "listing": reference, "by": by}
        COUNTERMEASURE_WORKFLOW.run("lift_on_delisting", obj=cm, data=data, ctx=system)
        lifted += 1
    return lifted
