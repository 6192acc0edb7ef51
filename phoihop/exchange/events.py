"""What every write of the exchange app leaves behind: an audit event on the request (its timeline)."""

from __future__ import annotations

from phoihop.audit.services import AuditContext, audit_reads, audit_record

from .models import Request


def record(ctx: AuditContext, request: Request, action: str, summary: str = "", **data) -> None:
    """An event on the request's timeline (`request.<action>`), in the audit chain."""
    audit_record(ctx=ctx, action=f"request.{action}", obj=request, summary=summary or request.reference, data=data)


def record_view(ctx: AuditContext, request: Request, *, via: str) -> None:
    """Đ3.1, Đ17.1: a view of a request about a restricted case leaves a trace (who, when, from where)."""
    audit_reads(ctx=ctx, action="request.view", objs=[request], via=via)
