"""The Decree-30 fields a document must have (Decree 30/2020, Đ8 and Appendix I): refused naming each field."""

from __future__ import annotations

from django.utils.translation import gettext as _

from phoihop.core.errors import Invalid

from .choices import DocumentKind, Urgency

MAX_SUMMARY = 500
MAX_POSITION = 200
MAX_BODY = 100_000


def field_errors(
    *,
    kind: str,
    summary: str,
    body: str,
    urgency: str,
    signer_position: str,
    has_recipients: bool,
    drafting_unit: str = "",
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose the kind of document.")]
    if not summary.strip():
        errors["summary"] = [_("The summary (trích yếu) is required.")]
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = [_("The summary is at most %(n)d characters.") % {"n": MAX_SUMMARY}]
    if not body.strip():
        errors["body"] = [_("The body of the document is required.")]
    elif len(body) > MAX_BODY:
        errors["body"] = [_("The body is at most %(n)d characters.") % {"n": MAX_BODY}]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency: normal, Khẩn, Thượng khẩn or Hỏa tốc.")]
    if not signer_position.strip():
        errors["signer_position"] = [
            _("The signer's position (e.g. GIÁM ĐỐC, or KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC) is required.")
        ]
    elif len(signer_position) > MAX_POSITION:
        errors["signer_position"] = [_("The signer's position is at most %(n)d characters.") % {"n": MAX_POSITION}]
    if not has_recipients:
        errors["recipients"] = [_("Name at least one recipient (nơi nhận).")]
    if len(drafting_unit) > 20 or any(c.isspace() for c in drafting_unit.strip()):
        errors["drafting_unit"] = [_("The drafting unit is a short symbol without spaces, e.g. TTra.")]
    return errors


def check_complete(doc) -> None:
    """Refuse (Invalid, naming each field) a document that lacks a Decree-30 field."""
    errors = field_errors(
        kind=doc.kind,
        summary=doc.summary,
        body=doc.body,
        urgency=doc.urgency,
        signer_position=doc.signer_position,
        has_recipients=doc.recipients.exists() or bool(doc.other_recipients.strip()),
        drafting_unit=doc.drafting_unit,
    )
    if doc.organisation_id is None:
        errors["organisation"] = [_("The issuing organisation is required.")]
    if errors:
        raise Invalid(errors)
