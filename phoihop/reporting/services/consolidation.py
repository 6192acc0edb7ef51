"""Đ18.1: the DIC consolidates a period's reports for the PPC: figures frozen in a Consolidation (a new version
each time), a DOCX in the Decree-30 layout, and a PDF signed by the head through the documents app."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.core.errors import NotAllowed
from phoihop.directory.choices import Role
from phoihop.documents.choices import DocumentKind
from phoihop.documents.services import document_draft, document_sign, document_submit
from phoihop.documents.sheets import organisation_convention

from ..models import Consolidation, Period
from ..permissions import may_manage
from ..render.text import consolidated_body
from ..selectors.consolidation import consolidated_figures
from .periods import previous_code
from .signing import convenors, signer_position

PPC = "Ủy ban nhân dân tỉnh"
RECIPIENTS = [f"{PPC} (báo cáo)", "Các cơ quan, đơn vị có trách nhiệm báo cáo (Điều 18)"]


def previous_period(period: Period) -> Period | None:
    if period.is_ad_hoc:
        return None
    return Period.objects.filter(code=previous_code(period.code)).first()


def consolidation_make(*, period: Period, ctx: AuditContext) -> Consolidation:
    """Freeze the period's consolidated figures; as a signed PDF (báo cáo) when the head makes it, otherwise a
    draft that waits for the head's signature in the documents."""
    user = ctx.actor
    if not may_manage(user):
        raise NotAllowed(_("Only the convenor of the review (the DIC) consolidates the reports."))
    with transaction.atomic():
        figures = consolidated_figures(period, previous_period(period))
        version = (
            Consolidation.objects.filter(period=period).order_by("-version").values_list("version", flat=True).first()
            or 0
        ) + 1
        item = Consolidation.objects.create(
            period=period, version=version, figures=figures, figures_as_of=timezone.now(), created_by=user
        )
        document = document_draft(
            ctx=ctx,
            organisation=user.organisation,
            kind=DocumentKind.REPORT,
            summary=f"Báo cáo kết quả thực hiện Quy chế phối hợp phòng, chống tội phạm trong lĩnh vực thông tin và "
            f"truyền thông, {period.title}",
            body=consolidated_body(figures),
            recipients=[],
            other_recipients="\n".join(RECIPIENTS),
            signer_position=signer_position(user.organisation),
        )
        document = document_submit(ctx=ctx, document=document)
        if user.role == Role.HEAD:
            document = document_sign(ctx=ctx, document=document)
        item.document, item.document_number = document, document.reference
        item.save(update_fields=["document", "document_number"])
        audit_record(
            ctx=ctx,
            action="reporting.consolidate",
            obj=item,
            summary=f"{period.code} v{version}",
            data={"article": "Đ18.1", "total": figures["province"]["total"], "missing": figures["missing"]},
        )
    return item


def consolidation_docx(*, figures: dict, reference: str = "", signer_name: str = "") -> bytes:
    """The editable DOCX of consolidated figures, headed as the convenor's document (Decree 30)."""
    from ..render.docx import consolidated_docx  # loaded on first use: the web processes stay small

    convenor = convenors()[0]
    convention = organisation_convention(convenor)
    day = timezone.localdate()
    return consolidated_docx(
        figures,
        parent_line=convention.parent_line or "ỦY BAN NHÂN DÂN TỈNH",
        issuer=convenor.name_vi,
        reference=reference or f"      /BC-{convention.symbol}",
        place=convention.place or (convenor.area.name if convenor.area_id else ""),
        day=day,
        signer_position=signer_position(convenor),
        signer_name=signer_name,
        recipients=RECIPIENTS,
    )
