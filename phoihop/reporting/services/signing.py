"""Official documents of the reporting cycle, made through the documents app (Decree 30/2020; Đ3.2: confirmed by
the head): a party's report (báo cáo) signed by its head and sent to the DIC, the review meeting's invitation
(giấy mời) to the parties, the consolidated report to the PPC. Each call runs inside the caller's transaction:
a refusal of the documents app (no signing key, a field missing) refuses the whole move, nothing half-written."""

from __future__ import annotations

from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext
from phoihop.core.errors import Conflict
from phoihop.directory.choices import OrganisationType, Role
from phoihop.directory.models import Organisation
from phoihop.directory.selectors import function_holders
from phoihop.documents.choices import DocumentKind
from phoihop.documents.models import Document
from phoihop.documents.services import document_draft, document_send, document_sign, document_submit
from phoihop.documents.sheets import organisation_convention

from ..permissions import CONVENOR_FUNCTION
from ..render.text import invitation_body, party_report_body

# Decree 30, Appendix I: the signer's title as printed above the signature, by kind of organisation.
SIGNER_POSITION = {
    OrganisationType.PEOPLES_COMMITTEE: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
    OrganisationType.BORDER_GUARD: "CHỈ HUY TRƯỞNG",
    OrganisationType.PRESS: "TỔNG BIÊN TẬP",
    OrganisationType.PROCURACY: "VIỆN TRƯỞNG",
}
DEFAULT_POSITION = "GIÁM ĐỐC"


def signer_position(organisation: Organisation) -> str:
    """The head's title from the rule set's document conventions (documents.yaml), else by kind of organisation."""
    return organisation_convention(organisation).head_title or SIGNER_POSITION.get(organisation.type, DEFAULT_POSITION)


def convenors(day=None) -> list[Organisation]:
    """Đ18: the organisations the reports go to (the DIC, or whoever holds its function that day)."""
    found = function_holders(CONVENOR_FUNCTION, day=day, resolve="all")
    if not found:
        raise Conflict(_("No organisation holds the review convenor function (Đ18) in the rule set in force."))
    return found


def _issue(*, ctx: AuditContext, document: Document, sign: bool) -> Document:
    document = document_submit(ctx=ctx, document=document)
    if sign:
        document = document_sign(ctx=ctx, document=document)
        document = document_send(ctx=ctx, document=document)
    return document


def sign_party_report(*, report, ctx: AuditContext) -> Document:
    """Đ3.2, Đ18.2: the report as a báo cáo of its organisation, signed by the head (the actor) and sent to
    the DIC; returns the sent document (its number from the organisation's outgoing register)."""
    organisation = report.obligation.organisation
    period = report.obligation.period
    document = document_draft(
        ctx=ctx,
        organisation=organisation,
        kind=DocumentKind.REPORT,
        summary=f"Báo cáo kết quả thực hiện Quy chế phối hợp phòng, chống tội phạm trong lĩnh vực thông tin và "
        f"truyền thông, {period.title}" + (f" (bổ sung lần {report.version - 1})" if report.version > 1 else ""),
        body=party_report_body(report),
        recipients=convenors(period.ends_on),
        signer_position=signer_position(organisation),
    )
    return _issue(ctx=ctx, document=document, sign=True)


def sign_invitation(*, meeting, organisations: list[Organisation], ctx: AuditContext) -> Document:
    """Đ18.1: the giấy mời of the review meeting, from the convenor to the invited parties. Signed and sent
    at once when the head plans the meeting; otherwise it waits for the head's signature in the documents."""
    document = document_draft(
        ctx=ctx,
        organisation=ctx.actor.organisation,
        kind=DocumentKind.INVITATION,
        summary=f"Mời dự họp sơ kết thực hiện Quy chế phối hợp, {meeting.period.title}",
        body=invitation_body(meeting),
        recipients=organisations,
        signer_position=signer_position(ctx.actor.organisation),
    )
    return _issue(ctx=ctx, document=document, sign=ctx.actor.role == Role.HEAD)
