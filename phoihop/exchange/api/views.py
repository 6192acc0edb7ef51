"""The requests API: the same scope (permissions.py), the same moves (workflow.py) and the same services as the
pages, so a request out of scope is a 404 here too, a refusal carries the same reason, and each view of a
request about a restricted case is recorded like a view of its page. An enterprise answers an information
request with its token: `POST /requests/{reference}/moves/receive/`, then `POST /requests/{reference}/answer/`."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, audit_context, problems
from phoihop.api.idempotency import idempotent
from phoihop.api.parsers import BoundedJSONParser
from phoihop.cases.permissions import visible_cases
from phoihop.core.errors import Invalid, NotAllowed
from phoihop.core.permissions import scope
from phoihop.directory.models import Organisation, User
from phoihop.intake.models import Report

from .. import events
from .. import permissions as perm
from ..choices import RequestStatus
from ..files import open_attachment
from ..inputs import RequestInput
from ..models import Request
from ..replies import candidate_documents
from ..selectors import request_for
from ..services import recipient_move, request_create, request_move
from ..workflow import RECIPIENT_WORKFLOW, REQUEST_WORKFLOW
from .serializers import (
    AnswerInputSerializer,
    RequestCreateSerializer,
    RequestDetailSerializer,
    RequestMoveInputSerializer,
    RequestSerializer,
)

MOVE_NAMES = sorted({*REQUEST_WORKFLOW.moves, *RECIPIENT_WORKFLOW.moves} - {"answer"})
BOX = OpenApiParameter(
    "box",
    OpenApiTypes.STR,
    enum=["all", "to_answer", "sent"],
    description="`to_answer`: requests to the caller's organisation; `sent`: requests it sent; `all` (default).",
)


PAGE = inline_serializer(
    "PaginatedRequestList",
    fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": RequestSerializer(many=True),
    },
)


class RequestPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _context(request, items, *, detail: bool = False) -> dict:
    case_ids = {r.case_id for r in items if r.case_id}
    visible = (
        set(visible_cases(request.user).filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set()
    )
    return {"request": request, "visible_cases": visible, "detail": detail}


def _one(request, reference: str) -> Request:
    found = request_for(request.user, reference)
    if found is None:
        raise Http404
    return found


def _detail(request, req: Request, *, status_code: int = 200) -> Response:
    req = request_for(request.user, req.reference) or req
    if perm.is_restricted(req):
        events.record_view(audit_context(request), req, via="api")
    return Response(
        RequestDetailSerializer(req, context=_context(request, [req], detail=True)).data, status=status_code
    )


class RequestListView(OrganisationApiMixin, APIView):
    """GET: the requests the caller may see. POST: a new request from the caller's organisation."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        operation_id="requests_list",
        summary="List requests",
        tags=["requests"],
        parameters=[
            BOX,
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: PAGE, **problems(400, 404)},
    )
    def get(self, request):
        box = request.query_params.get("box", "all")
        if box not in ("all", "to_answer", "sent"):
            raise Invalid({"box": [_("Choose all, to_answer or sent.")]})
        qs = perm.visible_requests(request.user).select_related("sender", "case")
        if box == "sent":
            qs = qs.filter(sender_id=request.user.organisation_id)
        elif box == "to_answer":
            qs = qs.filter(recipients__organisation_id=request.user.organisation_id).exclude(status=RequestStatus.DRAFT)
        paginator = RequestPagination()
        page = paginator.paginate_queryset(qs.order_by("-created_at", "-pk"), request, view=self) or []
        restricted = [r for r in page if perm.is_restricted(r)]
        for r in restricted:
            events.record_view(audit_context(request), r, via="api")
        data = RequestSerializer(page, many=True, context=_context(request, page)).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        summary="Send a request",
        description="A request from the caller's organisation to one or more others (`send: true`), or a draft. "
        "The due date, when not given, is the rule set's period for the kind and urgency in working days.",
        tags=["requests"],
        request=RequestCreateSerializer,
        responses={201: RequestDetailSerializer, **problems(400, 415)},
    )
    @idempotent
    def post(self, request):
        body = RequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        codes = list(d["recipients"])
        orgs = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in orgs]
        if unknown:
            raise Invalid({"recipients": [_("Unknown organisation: %(codes)s.") % {"codes": ", ".join(unknown)}]})
        case = report = None
        if d.get("case"):
            case = visible_cases(request.user).filter(reference=d["case"]).first()
            if case is None:
                raise Invalid({"case": [_("No case with this number that you may see.")]})
        if d.get("report"):
            report = scope(request.user, Report).filter(reference=d["report"]).first()
            if report is None:
                raise Invalid({"report": [_("No report with this tracking code that you may see.")]})
        data = RequestInput(
            kind=d["kind"],
            subject=d["subject"],
            article=d["article"],
            body=d["body"],
            recipients=[orgs[c] for c in codes],
            urgency=d["urgency"],
            due_date=d.get("due_date"),
            case=case,
            report=report,
        )
        created = request_create(data=data, ctx=audit_context(request), send=d["send"])
        return _detail(request, created, status_code=status.HTTP_201_CREATED)


class RequestDetailView(OrganisationApiMixin, APIView):
    @extend_schema(summary="One request", tags=["requests"], responses={200: RequestDetailSerializer, **problems(404)})
    def get(self, request, reference: str):
        return _detail(request, _one(request, reference))


class RequestMoveView(OrganisationApiMixin, APIView):
    """A move of the request (send, withdraw) or of one recipient's handling (receive, assign, accept, return,
    close, withdraw with `organisation`)."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Make a move",
        tags=["requests"],
        request=RequestMoveInputSerializer,
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=MOVE_NAMES,
                description="The move; a request's `moves` and each recipient's `moves` list those the caller may "
                "make now.",
            )
        ],
        responses={200: RequestDetailSerializer, **problems(400, 404, 409, 415)},
    )
    @idempotent
    def post(self, request, reference: str, name: str):
        req = _one(request, reference)
        if name not in MOVE_NAMES:
            raise Http404
        body = RequestMoveInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        data = {k: d[k].strip() for k in ("reason",) if d.get(k, "").strip()}
        code = d.get("organisation", "").strip()
        user, ctx = request.user, audit_context(request)
        if name in REQUEST_WORKFLOW.moves and not code:
            request_move(request=req, move=name, ctx=ctx, **data)
            return _detail(request, req)
        if name not in RECIPIENT_WORKFLOW.moves:
            raise Invalid({"organisation": [_("This move is the request's own: leave the organisation out.")]})
        rows = perm.recipients_for(user, req)
        row = (
            rows.filter(organisation__code=code).first()
            if code
            else rows.filter(organisation_id=user.organisation_id).first()
        )
        if row is None:
            raise Invalid({"organisation": [_("Name the recipient organisation of the request.")]})
        row.request = req
        if name == "assign":
            person = User.objects.filter(username=d.get("assignee", ""), organisation_id=row.organisation_id).first()
            if person is None:
                raise Invalid({"assignee": [_("Choose a person of the organisation that answers.")]})
            data["assignee"] = person
        recipient_move(recipient=row, move=name, ctx=ctx, **data)
        return _detail(request, req)


class RequestAnswerView(OrganisationApiMixin, APIView):
    """The answer of the caller's organisation (Đ5.5, Đ8.3, Đ11.8): its text and files (multipart/form-data),
    or JSON with the text only. The request must have been received first (`moves/receive/`)."""

    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(
        summary="Answer a request",
        tags=["requests"],
        request={"multipart/form-data": AnswerInputSerializer, "application/json": AnswerInputSerializer},
        responses={200: RequestDetailSerializer, **problems(400, 404, 409, 413, 415)},
    )
    @idempotent
    def post(self, request, reference: str):
        req = _one(request, reference)
        payload = request.data
        if hasattr(payload, "getlist"):  # multipart: several `files`
            payload = {
                "text": payload.get("text", ""),
                "files": request.FILES.getlist("files"),
                **({"reply_document": payload["reply_document"]} if payload.get("reply_document") else {}),
            }
        body = AnswerInputSerializer(data=payload)
        body.is_valid(raise_exception=True)
        row = perm.recipients_for(request.user, req).filter(organisation_id=request.user.organisation_id).first()
        if row is None:
            raise NotAllowed(_("Your organisation is not a recipient of this request."))
        row.request = req
        d = body.validated_data
        extra = {}
        if d.get("reply_document"):
            document = candidate_documents(request.user, row).filter(pk=d["reply_document"]).first()
            if document is None:
                message = _("Choose a signed document of your organisation addressed to the requester.")
                raise Invalid({"reply_document": [message]})
            extra["reply_document"] = document
        ctx = audit_context(request)
        recipient_move(recipient=row, move="answer", ctx=ctx, text=d["text"], files=d.get("files", []), **extra)
        return _detail(request, req)


class RequestFileView(OrganisationApiMixin, APIView):
    """A file of the request: only to those who may see it (an answer's file: its sender and its recipient)."""

    @extend_schema(
        summary="Download a file",
        tags=["requests"],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            **problems(404),
        },
    )
    def get(self, request, reference: str, file_id: str):
        req = _one(request, reference)
        if not file_id.isdigit() or len(file_id) > 18:
            raise Http404
        attachment = perm.attachments_for(request.user, req).filter(pk=int(file_id)).first()
        if attachment is None:
            raise Http404
        if perm.is_restricted(req):
            events.record_view(audit_context(request), req, via="api")
        try:
            handle = open_attachment(attachment)
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=attachment.original_name)
        response["Content-Type"] = "application/octet-stream"
        response["X-Content-Type-Options"] = "nosniff"
        return response
