"""Pages of the documents app: registers and the head's queue, a document's page and files, drafting, and
registering a document received by hand."""

from .drafting import document_edit, document_new, incoming_new
from .lists import document_index, sign_queue_page
from .page import document_detail, document_docx, document_move, document_pdf

__all__ = [
    "document_detail",
    "document_docx",
    "document_edit",
    "document_index",
    "document_move",
    "document_new",
    "document_pdf",
    "incoming_new",
    "sign_queue_page",
]
