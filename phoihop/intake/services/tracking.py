"""After submission: the reporter tracks and adds to a report; a hub focal point reveals who reported."""

from __future__ import annotations

import hmac

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import NotAllowed
from phoihop.core.text import fold

from ..choices import ReportStatus
from ..models import Report, ReporterContact
from ..permissions import Action, can
from .inputs import (
    ReportInvalid,
)
from .write import secret_hash


def report_track(*, reference: str, secret: str) -> Report | None:
    """The report for a tracking code and secret, or None (the same answer for a wrong code or secret)."""
    report = Report.objects.filter(reference=reference.strip().upper()).first()
    expected = report.secret_hash if report else secret_hash("decoy")
    if not hmac.compare_digest(expected, secret_hash(secret.strip())) or report is None:
        return None
    return report


def report_follow_up(*, report: Report, text: str, ctx: AuditContext) -> None:
    """The reporter adds information with the tracking code and secret; receiving parties see it."""
    text = (text or "").strip()
    if len(text) < 3 or len(text) > 5000:
        raise ReportInvalid({"text": [_("Write between 3 and 5,000 characters.")]})
    if report.status == ReportStatus.CLOSED:
        raise ReportInvalid({"text": [_("This report is closed.")]})
    with transaction.atomic():
        report.follow_ups.create(text=text)
        report.search_text = f"{report.search_text} {fold(text)}"
        report.save(update_fields=["search_text", "updated_at"])
        audit_record(ctx=ctx, action="report.follow_up", obj=report, summary=report.reference)


def contact_reveal(*, report: Report, ctx: AuditContext, reason: str) -> ReporterContact | None:
    """Show the reporter's contact details to a hub focal point who asks, with a reason; audit-logged."""
    user = ctx.actor
    if user is None or not can(user, Action.REVEAL_CONTACT, report):
        raise NotAllowed(_("Only a focal point of DIC or the Provincial Police may see who reported."))
    if len((reason or "").strip()) < 5:
        raise ReportInvalid({"reason": [_("Give the reason you need the reporter's contact details.")]})
    contact = ReporterContact.objects.filter(report=report).first()
    audit_record(
        ctx=ctx,
        action="report.contact_reveal",
        obj=report,
        summary=report.reference,
        data={"reason": reason.strip()[:500], "had_contact": contact is not None},
    )
    return contact
