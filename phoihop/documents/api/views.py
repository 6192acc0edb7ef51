"""The documents API: the same scope, services and workflow as the pages. A document out of scope is a 404;
a view of one about a restricted case is recorded in the audit log, as on its page."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, audit_context, content_length, problems
from phoihop.api.idempotency import idempotent
from phoihop.api.parsers import BoundedJSONParser
from phoihop.audit.services import audit_record
from phoihop.cases.permissions import visible_cases
from phoihop.core.errors import Invalid
from phoihop.directory.models import Organisation

from .. import permissions as perm
from .. import services
from ..choices import DocumentKind, DocumentStatus
from ..selectors import document_for, documents_for
from ..sheets import sheet_for
from ..workflow import DOCUMENT_WORKFLOW
from .serializers import (
    DocumentDetailSerializer,
    DocumentMoveInputSerializer,
    DocumentSerializer,
    DraftInputSerializer,
    IncomingInputSerializer,
)

MAX_UPLOAD = 20 * 1024 * 1024
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The document's id.")


class DocumentPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class DocumentPageSerializer(serializers.Serializer):
    """A page of the list (DocumentPagination's envelope)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DocumentSerializer(many=True)


class ListQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    status = serializers.ChoiceField(choices=DocumentStatus.choices, required=False)
    year = serializers.IntegerField(min_value=1990, max_value=2999, required=False, help_text="Register year.")


def _document(request, pk) -> object:
    doc = document_for(request.user, pk)
    if doc is None:
        raise exceptions.NotFound()
    if perm.is_restricted(doc):
        audit_record(
            ctx=audit_context(request), action="document.view", obj=doc, summary=doc.reference, data={"via": "api"}
        )
    return doc


def _detail(request, doc, *, code=status.HTTP_200_OK) -> Response:
    moves = DOCUMENT_WORKFLOW.available(request.user, doc)
    return Response(DocumentDetailSerializer(doc, context={"request": request, "moves": moves}).data, status=code)


def _organisations(codes: list[str], field: str) -> list[Organisation]:
    found = {o.code: o for o in Organisation.objects.valid_on(timezone.localdate()).filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise Invalid({field: [_("Unknown organisation: %(codes)s.") % {"codes": ", ".join(missing[:5])}]})
    return [found[c] for c in codes]


def _case(user, reference: str):
    if not reference:
        return None
    case = visible_cases(user).filter(reference=reference).first()
    if case is None:
        raise Invalid({"case": [_("No case with this number that you can see.")]})
    return case


class DocumentListView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        operation_id="documents_list",
        tags=["documents"],
        summary="List documents",
        description="The documents the caller may see: its organisation's (drafts included) and those sent to it.",
        parameters=[ListQuerySerializer],
        responses={200: DocumentPageSerializer, **problems(400, 404)},
    )
    def get(self, request):
        query = ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = documents_for(request.user).order_by("-created_at", "-pk")
        filters = query.validated_data
        if "kind" in filters:
            qs = qs.filter(kind=filters["kind"])
        if "status" in filters:
            qs = qs.filter(status=filters["status"])
        if "year" in filters:
            qs = qs.filter(year=filters["year"])
        paginator = DocumentPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DocumentSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=["documents"],
        summary="Draft a document",
        description="A draft of the caller's organisation (Decree 30 fields); a missing field is a 400 naming it.",
        request=DraftInputSerializer,
        responses={201: DocumentDetailSerializer, **problems(400, 413, 415)},
    )
    @idempotent
    def post(self, request):
        if not isinstance(request.data, Mapping):
            raise Invalid({"": [_("Send the document as a JSON object.")]})
        data = DraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        doc = services.document_draft(
            ctx=audit_context(request),
            organisation=request.user.organisation,
            kind=v["kind"],
            summary=v["summary"],
            body=v["body"],
            recipients=_organisations(list(dict.fromkeys(v["recipients"])), "recipients"),
            other_recipients=v["other_recipients"],
            urgency=v["urgency"],
            signer_position=v["signer_position"],
            drafting_unit=v["drafting_unit"],
            case=_case(request.user, v["case"]),
        )
        return _detail(request, document_for(request.user, doc.pk), code=status.HTTP_201_CREATED)


class DocumentDetailView(OrganisationApiMixin, APIView):
    @extend_schema(
        tags=["documents"],
        summary="One document",
        parameters=[ID],
        responses={200: DocumentDetailSerializer, **problems(404)},
    )
    def get(self, request, pk: str):
        return _detail(request, _document(request, pk))


def _file(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


class DocumentPdfView(OrganisationApiMixin, APIView):
    @extend_schema(
        tags=["documents"],
        summary="The signed PDF",
        description="The signed PDF (or the scan registered by hand). A document without one (a draft) is a 404.",
        parameters=[ID],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **problems(404)},
    )
    def get(self, request, pk: str):
        doc = _document(request, pk)
        if not doc.has_pdf:
            raise exceptions.NotFound(_("This document has no PDF yet: it is not signed."))
        return _file(bytes(doc.pdf), "application/pdf", f"document-{doc.pk}.pdf")


class DocumentDocxView(OrganisationApiMixin, APIView):
    @extend_schema(
        tags=["documents"],
        summary="The document as DOCX",
        description="The document laid out for editing (Word). A paper document registered by hand has none: 404.",
        parameters=[ID],
        responses={
            (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiResponse(
                OpenApiTypes.BINARY
            ),
            **problems(404),
        },
    )
    def get(self, request, pk: str):
        from ..render.docx import render_docx  # loaded on first use: the web processes stay small

        doc = _document(request, pk)
        if doc.origin != "electronic" or doc.organisation_id is None:
            raise exceptions.NotFound()
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return _file(render_docx(sheet_for(doc)), mime, f"document-{doc.pk}.docx")


class DocumentMoveView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]
    MOVES = {"submit": services.document_submit, "sign": services.document_sign, "send": services.document_send}

    @extend_schema(
        tags=["documents"],
        summary="Make a workflow move",
        description=(
            "submit (the drafters), return with a `comment` and sign (the head of the issuing organisation: its key "
            "signs), send (its focal point or head). A document's `moves` lists those the caller may make now."
        ),
        parameters=[
            ID,
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(DOCUMENT_WORKFLOW.moves)),
        ],
        request=DocumentMoveInputSerializer,
        responses={
            200: DocumentDetailSerializer,
            **problems(400, 404, 409, 413, 415),
            503: OpenApiResponse(description="The organisation's key or token, or the TSA, did not answer."),
        },
    )
    @idempotent
    def post(self, request, pk: str, name: str):
        doc = _document(request, pk)
        if name not in DOCUMENT_WORKFLOW.moves:
            raise exceptions.NotFound()
        body = request.data if request.data else {}
        if not isinstance(body, Mapping):
            raise Invalid({"": [_("Send the move's fields as a JSON object.")]})
        data = DocumentMoveInputSerializer(data=body)
        data.is_valid(raise_exception=True)
        ctx = audit_context(request)
        if name == "return":
            doc = services.document_return(ctx=ctx, document=doc, comment=data.validated_data.get("comment", ""))
        else:
            doc = self.MOVES[name](ctx=ctx, document=doc)
        return _detail(request, document_for(request.user, doc.pk) or doc)


class IncomingView(OrganisationApiMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["documents"],
        summary="Register a received document",
        description=(
            "A document received on paper or from outside, with its PDF (multipart/form-data), into the caller's "
            "incoming register. A file that is not a PDF, or a PDF whose signature is broken, is a 400 naming `file`."
        ),
        request={"multipart/form-data": IncomingInputSerializer},
        responses={201: DocumentDetailSerializer, **problems(400, 413, 415)},
    )
    @idempotent
    def post(self, request):
        if content_length(request) > MAX_UPLOAD + 64 * 1024:
            raise exceptions.ValidationError({"file": [_("The file is over 20 MB.")]})
        data = IncomingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issuer = _organisations([v["issuer"]], "issuer")[0] if v.get("issuer") else None
        doc = services.document_register_incoming(
            ctx=audit_context(request),
            organisation=request.user.organisation,
            file=v["file"],
            kind=v["kind"],
            summary=v["summary"],
            reference=v["reference"],
            issuer=issuer,
            issuer_name=v.get("issuer_name") or "",
            issued_on=v.get("issued_on"),
            urgency=v.get("urgency") or "",
            case=_case(request.user, v.get("case") or ""),
        )
        return _detail(request, document_for(request.user, doc.pk), code=status.HTTP_201_CREATED)
