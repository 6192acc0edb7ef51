"""Every write of the documents app (keyword-only arguments, an AuditContext, one transaction, an audit event).
Other apps (exchange, reporting) call these; the API is stable:

    document_draft(*, ctx, organisation, kind, summary, body, recipients, urgency="", signer_position,
                   case=None, report=None, stage=None, drafting_unit="", other_recipients="") -> Document
        a draft of `organisation` (the actor's own), recipients: Organisations (nơi nhận); stage: a
        cases.AdministrativeHandling / PoliceTransfer / ProcuracyRecommendation of `case`.
    document_update(*, ctx, document, **fields) -> Document          change a draft or a returned one
    document_submit(*, ctx, document) -> Document                    draft/returned -> submitted (Đ3.2)
    document_return(*, ctx, document, comment) -> Document           the head: submitted -> returned
    document_sign(*, ctx, document) -> Document                      the head: number, PDF, PAdES signature
    document_send(*, ctx, document) -> Document                      signed -> sent: incoming registers, notices
    document_register_incoming(*, ctx, organisation, file, kind, summary, reference, issuer=None,
                   issuer_name="", issued_on=None, urgency="", case=None) -> Document
        a paper or scanned document received by hand, in `organisation`'s incoming register; a file
        that is not a PDF, or a PDF whose signature is broken, is refused with the reason.

Refusals: Invalid (naming the field), NotAllowed, Conflict (e.g. no signing key: names the organisation),
Unavailable (a token or TSA that does not answer). Nothing is written when a call is refused.
"""

from .drafting import document_draft, document_update
from .incoming import document_register_incoming
from .moves import document_return, document_send, document_sign, document_submit

__all__ = [
    "document_draft",
    "document_register_incoming",
    "document_return",
    "document_send",
    "document_sign",
    "document_submit",
    "document_update",
]
