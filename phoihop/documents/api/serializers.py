"""Serializers of the documents API: a document as listed (with `pdf_url`), one document with its recipients and
the verification of its signature, and the input of a draft, a move and a registration by hand."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import DocumentKind, DocumentStatus, Origin, Urgency, Verdict
from ..validation import MAX_BODY, MAX_POSITION, MAX_SUMMARY


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


class DocumentSerializer(serializers.Serializer):
    """A document as listed."""

    id = serializers.IntegerField(source="pk", read_only=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=DocumentStatus.choices, read_only=True)
    origin = serializers.ChoiceField(choices=Origin.choices, read_only=True)
    reference = serializers.CharField(
        read_only=True, help_text="Number and symbol, e.g. 15/STTTT-TTra (empty on a draft)."
    )
    issued_on = serializers.DateField(read_only=True, allow_null=True)
    place = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True, allow_blank=True)
    issuer = serializers.SerializerMethodField()
    issuer_name = serializers.CharField(source="issuer_label", read_only=True)
    case = serializers.SerializerMethodField()
    signer_position = serializers.CharField(read_only=True)
    signer_name = serializers.CharField(read_only=True)
    signed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    sent_at = serializers.DateTimeField(read_only=True, allow_null=True)
    verdict = serializers.ChoiceField(choices=Verdict.choices, read_only=True, allow_blank=True)
    pdf_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Code of the issuing organisation."))
    def get_issuer(self, doc) -> str | None:
        return doc.organisation.code if doc.organisation_id else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case(self, doc) -> str | None:
        return doc.case.reference if doc.case_id else None

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="The signed PDF (or the registered scan)."))
    def get_pdf_url(self, doc) -> str | None:
        if not doc.pdf_sha256:
            return None
        return _absolute(self.context.get("request"), reverse("api:document-pdf", args=[doc.pk]))


class DocumentRecipientSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.code")
    name = serializers.CharField(source="organisation.name_vi")
    incoming_number = serializers.IntegerField(allow_null=True)
    incoming_year = serializers.IntegerField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)


class VerificationSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    signer = serializers.CharField()
    organisation = serializers.CharField()
    time = serializers.CharField(help_text="ISO 8601; empty when unknown.")
    timestamped = serializers.BooleanField()
    integrity = serializers.CharField(help_text="intact | modified | empty (no signature)")
    trust = serializers.CharField(help_text="trusted | untrusted | empty")
    coverage = serializers.CharField()
    signatures = serializers.IntegerField()
    reason = serializers.CharField()


class DocumentDetailSerializer(DocumentSerializer):
    body = serializers.CharField(read_only=True)
    drafting_unit = serializers.CharField(read_only=True)
    other_recipients = serializers.CharField(read_only=True)
    return_comment = serializers.CharField(read_only=True)
    recipients = DocumentRecipientSerializer(many=True, read_only=True, source="recipients.all")
    verification = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    @extend_schema_field(VerificationSerializer(allow_null=True))
    def get_verification(self, doc) -> dict | None:
        data = doc.verification or None
        if not data:
            return None
        fields = VerificationSerializer().fields
        return {k: data.get(k, False if k == "timestamped" else 0 if k == "signatures" else "") for k in fields}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_docx_url(self, doc) -> str | None:
        if doc.origin != Origin.ELECTRONIC:
            return None
        return _absolute(self.context.get("request"), reverse("api:document-docx", args=[doc.pk]))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_moves(self, doc) -> list[str]:
        return [m.name for m in self.context.get("moves", [])]


class DraftInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    summary = serializers.CharField(max_length=MAX_SUMMARY)
    body = serializers.CharField(max_length=MAX_BODY)
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=200, help_text="Codes of the recipient organisations."
    )
    other_recipients = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True, default="")
    signer_position = serializers.CharField(
        max_length=MAX_POSITION, help_text="e.g. GIÁM ĐỐC, or KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    )
    drafting_unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    case = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="A case number."
    )


class DocumentMoveInputSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, help_text="Required to return.")


class IncomingInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The PDF (a scan, or a signed PDF: a broken signature is refused).")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    reference = serializers.CharField(max_length=80, help_text="Number and symbol as printed.")
    summary = serializers.CharField(max_length=MAX_SUMMARY)
    issuer = serializers.CharField(max_length=64, required=False, allow_blank=True, help_text="Organisation code.")
    issuer_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True, default="")
    case = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
