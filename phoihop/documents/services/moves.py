"""The workflow's moves as services (workflow.py holds what each does and who may)."""

from __future__ import annotations

from phoihop.audit.services import AuditContext

from ..models import Document
from ..workflow import DOCUMENT_WORKFLOW


def document_submit(*, ctx: AuditContext, document: Document) -> Document:
    return DOCUMENT_WORKFLOW.run("submit", obj=document, ctx=ctx)


def document_return(*, ctx: AuditContext, document: Document, comment: str) -> Document:
    return DOCUMENT_WORKFLOW.run("return", obj=document, data={"comment": comment}, ctx=ctx)


def document_sign(*, ctx: AuditContext, document: Document) -> Document:
    return DOCUMENT_WORKFLOW.run("sign", obj=document, ctx=ctx)


def document_send(*, ctx: AuditContext, document: Document) -> Document:
    return DOCUMENT_WORKFLOW.run("send", obj=document, ctx=ctx)
