"""A document received on paper or from outside, registered by hand with its scan (Đ3.3, Đ17.2; Decree 30, Đ22)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import IO, Any

import puremagic
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.services import AuditContext, audit_record
from phoihop.cases.models import Case
from phoihop.cases.permissions import visible_cases
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.directory.models import Organisation

from .. import permissions as perm
from ..choices import DocumentKind, DocumentStatus, Origin, Urgency, Verdict
from ..models import Document, DocumentRecipient
from ..registers import INCOMING, take_number
from ..signing.pades import Verification, verify_pdf


def _read(file: bytes | IO[bytes] | Any) -> bytes:
    limit = int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    elif hasattr(file, "read"):
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    else:
        raise Invalid({"file": [_("Attach the scan or the PDF of the document.")]})
    if not data:
        raise Invalid({"file": [_("Attach the scan or the PDF of the document.")]})
    if len(data) > limit:
        raise Invalid({"file": [_("The file is over %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]})
    return data


def check_pdf(data: bytes) -> Verification:
    """The file must be a PDF by its content (not its name) and, if signed, its signature must hold."""
    try:
        matches = puremagic.magic_string(data[:8192])
    except (puremagic.PureError, ValueError):
        matches = []
    if not data.lstrip()[:5] == b"%PDF-" or not any((m.extension or "").lower() == ".pdf" for m in matches):
        raise Invalid({"file": [_("The file is not a PDF (its content says otherwise, whatever its name).")]})
    result = verify_pdf(data)
    if result.verdict == Verdict.MODIFIED:
        raise Invalid(
            {
                "file": [
                    _("The PDF's signature is broken: it was modified after signing (%(reason)s).")
                    % {"reason": result.reason or "-"}
                ]
            }
        )
    return result


@transaction.atomic
def document_register_incoming(
    *,
    ctx: AuditContext,
    organisation: Organisation,
    file: bytes | IO[bytes],
    kind: str,
    summary: str,
    reference: str,
    issuer: Organisation | None = None,
    issuer_name: str = "",
    issued_on: dt.date | None = None,
    urgency: str = "",
    case: Case | None = None,
) -> Document:
    """Register a document received by hand in `organisation`'s incoming register (see the package docstring)."""
    actor = ctx.actor
    if (
        not perm.may_register_incoming(actor)
        or not isinstance(organisation, Organisation)
        or actor.organisation_id != organisation.pk
    ):
        raise NotAllowed(_("Only the focal point or the head of an organisation registers what it receives."))
    summary, reference, issuer_name = (summary or "").strip(), (reference or "").strip(), (issuer_name or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose the kind of document.")]
    if not summary:
        errors["summary"] = [_("The summary (trích yếu) is required.")]
    if not reference or len(reference) > 80:
        errors["reference"] = [_("The number and symbol as printed (e.g. 15/CAT-PA05) are required.")]
    if issuer is None and not issuer_name:
        errors["issuer"] = [_("Name the issuing organisation.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency: normal, Khẩn, Thượng khẩn or Hỏa tốc.")]
    if issued_on is not None and issued_on > timezone.localdate():
        errors["issued_on"] = [_("The date of the document cannot be in the future.")]
    if case is not None and not visible_cases(actor).filter(pk=case.pk).exists():
        errors["case"] = [_("Choose a case you can see.")]
    if errors:
        raise Invalid(errors)
    data = _read(file)
    result = check_pdf(data)
    now = timezone.now()
    doc = Document.objects.create(
        origin=Origin.PAPER,
        status=DocumentStatus.RECEIVED,
        organisation=issuer,
        issuer_name=issuer_name or (issuer.name_vi if issuer else ""),
        kind=kind,
        summary=summary[:500],
        reference=reference,
        issued_on=issued_on,
        urgency=urgency,
        case=case,
        created_by=actor,
        pdf=data,
        pdf_sha256=hashlib.sha256(data).hexdigest(),
        verdict=result.verdict,
        verification=result.as_dict(),
        sent_at=now,
    )
    year = timezone.localdate(now).year
    number = take_number(organisation_id=organisation.pk, year=year, register=INCOMING)
    DocumentRecipient.objects.create(
        document=doc,
        organisation=organisation,
        incoming_year=year,
        incoming_number=number,
        received_at=now,
        registered_by=actor,
        verdict=result.verdict,
    )
    audit_record(
        ctx=ctx,
        action="document.register_incoming",
        obj=doc,
        summary=f"{reference} → {organisation.code} #{number}/{year}",
        data={"sha256": doc.pdf_sha256, "verdict": result.verdict, "size": len(data)},
    )
    return doc
