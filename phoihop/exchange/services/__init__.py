"""Every write of the exchange app: keyword-only arguments, an AuditContext, one transaction, an audit event.

requests.py   request_create, request_update, request_move, recipient_move, attachments
council.py    Đ5.6: council_form, council_member_add, council_session_record, council_adopt
handover.py   Đ3.3, Đ17.2: handover_record
"""

from ..inputs import HandoverItemInput, MemberInput, RequestInput
from .council import council_adopt, council_form, council_member_add, council_session_record
from .handover import handover_record
from .requests import recipient_move, request_create, request_move, request_update

__all__ = [
    "HandoverItemInput",
    "MemberInput",
    "RequestInput",
    "council_adopt",
    "council_form",
    "council_member_add",
    "council_session_record",
    "handover_record",
    "recipient_move",
    "request_create",
    "request_move",
    "request_update",
]
