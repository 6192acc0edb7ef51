"""The lifecycle of an outgoing document, declared once with phoihop.core.workflow (Đ3.2, Decree 30):

    draft ──submit──► submitted ──sign (the head)──► signed ──send──► sent
      ▲                   │
      └──── returned ◄────┘ return (the head, with comments); a returned draft is changed and submitted again

Signing takes the number from the organisation's outgoing register of the year, lays out the PDF and
PAdES-signs it with the organisation's key, all in the move's transaction: a refusal (no key, a token that
does not answer) leaves no number taken and nothing written. Sending puts the document in each recipient's
incoming register with its arrival number, verifies the signature on receipt, and tells their focal points.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.audit.services import audit_record
from phoihop.core.errors import Conflict, DomainError, Unavailable
from phoihop.core.workflow import Move, Workflow

from . import notifications
from . import permissions as perm
from .choices import DocumentStatus as S
from .models import Document
from .registers import INCOMING, OUTGOING, take_number, take_numbers
from .sheets import organisation_convention, reference_for, sheet_for
from .signing.keys import signer_for
from .signing.pades import sign_pdf, verify_pdf
from .validation import check_complete


class DocumentMove(Move):
    def not_allowed_message(self, obj) -> str:
        return _("You may not '%(move)s' this document.") % {"move": self.label}

    def conflict_message(self, obj) -> str:
        return _("'%(move)s' is not possible while the document is '%(status)s'.") % {
            "move": self.label,
            "status": S(obj.status).label,
        }

    def stale_message(self, obj) -> str:
        return _("The document was changed by someone else; reload it.")


class Submit(DocumentMove):
    """Đ3.2: the draft goes to the head for approval."""

    name, label, article = "submit", gettext_lazy("Submit for signature"), "Đ3.2"
    sources, target = frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED
    actor = perm.drafter_may_move

    def validate(self, user, obj, data) -> None:
        check_complete(obj)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.submitted_at = timezone.now()
        return ["submitted_at"]


class Return(DocumentMove):
    """Đ3.2: the head sends the draft back with comments."""

    name, label, article = "return", gettext_lazy("Return with comments"), "Đ3.2"
    sources, target = frozenset({S.SUBMITTED}), S.RETURNED
    actor = perm.head_may_move
    requires = ("comment",)

    def execute(self, *, obj, data, ctx) -> list[str]:
        obj.return_comment = str(data["comment"]).strip()
        return ["return_comment"]


def stamp_lines(*, signer: str, organisation: str, at) -> list[str]:
    """The visible stamp: who signed, for which organisation, when (local time)."""
    local = timezone.localtime(at)
    return [f"Ký bởi: {signer}", f"Cơ quan: {organisation}", f"Thời gian: {local:%d/%m/%Y %H:%M:%S %z}"]


class Sign(DocumentMove):
    """Đ3.2, Decree 30 Đ15: the head approves and signs; the number is taken from the outgoing register."""

    name, label, article = "sign", gettext_lazy("Approve and sign"), "Đ3.2"
    sources, target = frozenset({S.SUBMITTED}), S.SIGNED
    actor = perm.head_may_move

    def validate(self, user, obj, data) -> None:
        check_complete(obj)

    def execute(self, *, obj, data, ctx) -> list[str]:
        from .render.pdf import render_pdf  # loaded on first use: the web processes stay small

        org = obj.organisation
        signer = signer_for(org)  # refused, naming the organisation, before any number is taken
        now = timezone.now()
        day = timezone.localdate(now)
        number = take_number(organisation_id=org.pk, year=day.year, register=OUTGOING)
        obj.year, obj.number, obj.reference = day.year, number, reference_for(obj, number)
        obj.issued_on, obj.place = day, obj.place or organisation_convention(org).place or org.short_name
        obj.signed_by, obj.signed_at = ctx.actor, now
        obj.signer_name = ctx.actor.get_full_name() or ctx.actor.get_username()
        lines = stamp_lines(signer=obj.signer_name, organisation=org.name_vi, at=now)
        rendered = render_pdf(replace(sheet_for(obj), stamp_lines=lines))
        try:
            pdf = sign_pdf(
                rendered.pdf,
                signer=signer,
                box=rendered.box,
                page=rendered.page,
                reason=f"Phê duyệt, ký ban hành văn bản số {obj.reference}",
                location=obj.place,
            )
        except DomainError:
            raise
        except Exception as exc:  # the key or the TSA failed: nothing is kept, the number is not used
            raise Unavailable(_("The document could not be signed: %(error)s") % {"error": exc}) from exc
        obj.pdf, obj.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        return [
            "year",
            "number",
            "reference",
            "issued_on",
            "place",
            "signed_by",
            "signed_at",
            "signer_name",
            "pdf",
            "pdf_sha256",
        ]


class Send(DocumentMove):
    """Đ3.2, Đ3.3: the signed document reaches each recipient's incoming register and their focal points."""

    name, label, article = "send", gettext_lazy("Send to the recipients"), "Đ3.2, Đ3.3"
    sources, target = frozenset({S.SIGNED}), S.SENT
    actor = perm.sender_may_move

    def validate(self, user, obj, data) -> None:
        if not obj.recipients.exists():
            raise Conflict(_("The document has no recipient organisation to send it to."))

    def execute(self, *, obj, data, ctx) -> list[str]:
        now = timezone.now()
        result = verify_pdf(bytes(obj.pdf))  # Đ3.2: verified on receipt, once (every recipient gets the same bytes)
        recipients = list(obj.recipients.all())
        numbers = take_numbers(
            organisation_ids=[r.organisation_id for r in recipients],
            year=timezone.localdate(now).year,
            register=INCOMING,
        )
        for r in recipients:
            r.incoming_year, r.incoming_number = timezone.localdate(now).year, numbers[r.organisation_id]
            r.received_at, r.verdict = now, result.verdict
        type(recipients[0]).objects.bulk_update(
            recipients, ["incoming_year", "incoming_number", "received_at", "verdict"]
        )
        obj.sent_at, obj.verdict, obj.verification = now, result.verdict, result.as_dict()
        return ["sent_at", "verdict", "verification"]

    def after(self, *, obj, ctx) -> None:
        notifications.document_delivered(obj)


def _record(ctx, doc: Document, action: str, summary: str, data: dict) -> None:
    audit_record(ctx=ctx, action=action, obj=doc, summary=f"{doc.reference or doc.pk}: {summary}", data=data)


DOCUMENT_WORKFLOW = Workflow("document", [Submit(), Return(), Sign(), Send()], record=_record)
