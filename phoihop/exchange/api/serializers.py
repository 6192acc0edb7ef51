"""Serializers of the requests API: a request as the caller may see it (the sender: every recipient; a recipient:
its own handling), the body of a new request, of a move and of an answer."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import ARTICLES, RecipientStatus, RequestKind, RequestStatus, Urgency
from ..models import Answer, Attachment, Recipient, Request
from ..replies import reply_verdict
from ..workflow import RECIPIENT_WORKFLOW, REQUEST_WORKFLOW


class PartyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")


class FileSerializer(serializers.ModelSerializer):
    """A file: its name, type and size, its SHA-256, and where to download it (the same need-to-know)."""

    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "sha256", "url"]
        read_only_fields = fields

    def get_url(self, obj: Attachment) -> str:
        path = reverse("api:request-file", args=[obj.request.reference, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ReplyDocumentSerializer(serializers.Serializer):
    """The official reply (documents API: /documents/{id}/), and what verifying its signature on arrival found."""

    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="Number and symbol, e.g. 15/KL-STTTT.")
    kind = serializers.CharField()
    verdict = serializers.CharField(allow_blank=True, help_text="valid, untrusted, modified, unsigned, or empty.")


class AnswerSerializer(serializers.ModelSerializer):
    files = FileSerializer(source="attachments", many=True, read_only=True)
    returned_at = serializers.DateTimeField(allow_null=True, read_only=True)
    reply_document = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["round", "text", "created_at", "files", "reply_document", "returned_at", "return_reason"]
        read_only_fields = fields

    @extend_schema_field(ReplyDocumentSerializer(allow_null=True))
    def get_reply_document(self, obj: Answer) -> dict | None:
        doc = obj.reply_document
        if doc is None:
            return None
        verdict = reply_verdict(doc, obj.recipient.request.sender_id)
        return {
            "id": doc.pk,
            "reference": doc.reference,
            "kind": doc.kind,
            "verdict": verdict["code"] if verdict else "",
        }


class RequestRecipientSerializer(serializers.ModelSerializer):
    """One recipient organisation's handling, with the moves the caller may make on it now."""

    organisation = PartyRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=RecipientStatus.choices, read_only=True)
    due_date = serializers.DateField(allow_null=True, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    received_at = serializers.DateTimeField(allow_null=True, read_only=True)
    answered_at = serializers.DateTimeField(allow_null=True, read_only=True)
    assignee = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Recipient
        fields = [
            "organisation",
            "status",
            "due_date",
            "is_overdue",
            "received_at",
            "answered_at",
            "assignee",
            "answers",
            "moves",
        ]
        read_only_fields = fields

    def get_assignee(self, obj: Recipient) -> str:
        return obj.assignee.get_username() if obj.assignee_id else ""

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, obj: Recipient) -> list[dict]:
        if not self.context.get("detail"):
            return []
        rows = obj.answers.select_related("reply_document").prefetch_related("attachments__request").order_by("round")
        return AnswerSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(RECIPIENT_WORKFLOW.moves))))
    def get_moves(self, obj: Recipient) -> list[str]:
        user = self.context["request"].user
        return [m.name for m in RECIPIENT_WORKFLOW.available(user, obj)]


class RequestSerializer(serializers.ModelSerializer):
    """A request as listed: who asked whom what, on which article, by when, and where each answer stands."""

    kind = serializers.ChoiceField(choices=RequestKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True)
    sender = PartyRefSerializer(read_only=True)
    due_date = serializers.DateField(allow_null=True, read_only=True)
    sent_at = serializers.DateTimeField(allow_null=True, read_only=True)
    case = serializers.SerializerMethodField(help_text="The case's number, when the caller may see the case.")
    recipients = serializers.SerializerMethodField()

    class Meta:
        model = Request
        fields = [
            "reference",
            "kind",
            "status",
            "subject",
            "article",
            "urgency",
            "sender",
            "due_date",
            "created_at",
            "sent_at",
            "case",
            "recipients",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case(self, obj: Request) -> str | None:
        visible = self.context.get("visible_cases", set())
        return obj.case.reference if obj.case_id and obj.case_id in visible else None

    @extend_schema_field(RequestRecipientSerializer(many=True))
    def get_recipients(self, obj: Request) -> list[dict]:
        from ..permissions import recipients_for

        user = self.context["request"].user
        rows = list(recipients_for(user, obj))
        for row in rows:
            row.request = obj
        return RequestRecipientSerializer(rows, many=True, context=self.context).data


class RequestDetailSerializer(RequestSerializer):
    """One request: also what is asked, its files, each visible recipient's answers, and the request's moves."""

    files = serializers.SerializerMethodField()
    moves = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "body", "files", "moves"]
        read_only_fields = fields

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, obj: Request) -> list[dict]:
        rows = obj.attachments.filter(answer__isnull=True, purpose="request").select_related("request")
        return FileSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(REQUEST_WORKFLOW.moves))))
    def get_moves(self, obj: Request) -> list[str]:
        return [m.name for m in REQUEST_WORKFLOW.available(self.context["request"].user, obj)]


class RequestCreateSerializer(serializers.Serializer):
    """A new request (JSON): the organisations, the case and the report by their codes."""

    kind = serializers.ChoiceField(choices=RequestKind.choices)
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=50, help_text="Organisation codes."
    )
    subject = serializers.CharField(max_length=300)
    article = serializers.ChoiceField(choices=list(ARTICLES))
    body = serializers.CharField(max_length=20000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="Empty: the rule set's period, in working days."
    )
    case = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="A case number.")
    report = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="A tracking code.")
    send = serializers.BooleanField(default=False, help_text="Send at once (otherwise a draft).")


class RequestMoveInputSerializer(serializers.Serializer):
    """The body of a move: which recipient (for a recipient's move), and what the move needs."""

    organisation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="The recipient organisation's code, for a move of one recipient's handling (a recipient's "
        "own organisation when left out). Left out for the request's own moves (send, withdraw).",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required by: withdraw, return."
    )
    assignee = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="A username of the organisation. Required by: assign.",
    )


class AnswerInputSerializer(serializers.Serializer):
    """An answer of the caller's organisation: the text, and files (multipart) checked by their content."""

    text = serializers.CharField(max_length=20000)
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=20)
    reply_document = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The id of the official reply: a document of the caller's organisation signed by its head and "
        "addressed to the requester (documents API). An expert assessment carries its council's conclusion.",
    )
