"""The cases write API: what the case page and triage offer, through the same services (phoihop.cases.services),
so the same people may do it and the same refusals come back (403 not allowed, 409 not in this state, 400
naming the field). Each case is fetched through the permission scope (case_for): out of scope is a 404.
Every POST takes an Idempotency-Key (phoihop.api.idempotency).

    POST /cases/                                        open a case from reports (Đ4.4)
    POST /cases/{reference}/reports/                    attach reports
    POST /cases/{reference}/participants/               add an organisation (Đ11.8)
    POST /cases/{reference}/participants/{code}/remove/ remove one, with a reason (Đ3.1, Đ17.1)
    POST /cases/{reference}/members/                    name a person on the case
    POST /cases/{reference}/tasks/                      ask an organisation (or one of its people) for work
    POST /cases/{reference}/tasks/{id}/complete/        report a task done, with its result (and files)
    POST /cases/{reference}/tasks/{id}/reassign/        give an open task to another person of its organisation
    POST /cases/{reference}/notes/                      add a note
    POST /cases/{reference}/evidence/                   upload files (multipart), each with its SHA-256
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, audit_context, problems
from phoihop.api.idempotency import idempotent
from phoihop.api.parsers import BoundedJSONParser
from phoihop.core.errors import Invalid
from phoihop.directory.models import Organisation, User
from phoihop.intake.models import Report
from phoihop.intake.permissions import visible_reports

from .. import services
from ..forms.common import end_of_day, organisations_today
from ..models import Case, Task
from ..selectors import case_for, case_reports
from ..workflow import CASE_WORKFLOW
from .serializers import CaseDetailSerializer
from .write_serializers import (
    CaseAttachInputSerializer,
    CaseEvidenceSerializer,
    CaseEvidenceUploadSerializer,
    CaseMemberInputSerializer,
    CaseNoteInputSerializer,
    CaseNoteSerializer,
    CaseOpenInputSerializer,
    CaseParticipantInputSerializer,
    CaseParticipantRemoveInputSerializer,
    CaseTaskCompleteInputSerializer,
    CaseTaskInputSerializer,
    CaseTaskReassignInputSerializer,
    CaseTaskSerializer,
)

TAGS = ["cases"]


def case_detail_response(request, case: Case, status_code: int = status.HTTP_200_OK) -> Response:
    """The case as `GET /cases/{reference}/` shows it to the caller, after the write."""
    case = case_for(request.user, case.reference) or case
    reports = case_reports(request.user, case).values_list("reference", flat=True)
    context = {"request": request, "reports": reports, "moves": CASE_WORKFLOW.available(request.user, case)}
    headers = {"Location": reverse("api:case-detail", args=[case.reference])} if status_code == 201 else None
    return Response(CaseDetailSerializer(case, context=context).data, status=status_code, headers=headers)


def _input(serializer_class, data):
    if not isinstance(data, Mapping):
        raise Invalid({"": [_("Send the fields as a JSON object.")]})
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _case(request, reference: str) -> Case:
    case = case_for(request.user, reference)
    if case is None:
        raise Http404
    return case


def _reports(request, references: list[str], field: str = "reports") -> list[Report]:
    """The reports named, among those the caller may see (the service refuses those already in a case)."""
    wanted = list(dict.fromkeys(r.strip().upper() for r in references))
    found = {r.reference: r for r in visible_reports(request.user).filter(reference__in=wanted)}
    missing = [r for r in wanted if r not in found]
    if missing:
        raise Invalid({field: [_("No report that you can see: %(refs)s.") % {"refs": ", ".join(missing)}]})
    return [found[r] for r in wanted]


def _organisation(code: str, field: str) -> Organisation:
    org = organisations_today().filter(code=code.strip()).first()
    if org is None:
        raise Invalid({field: [_("No organisation with this code.")]})
    return org


def _person(username: str, field: str) -> User:
    user = User.objects.filter(username=username.strip(), is_active=True).select_related("organisation").first()
    if user is None:
        raise Invalid({field: [_("No active person with this user name.")]})
    return user


def _number(raw) -> int | None:
    """A row's number from a path or field: digits only, small enough for the database (else None)."""
    text = str(raw).strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _task(case: Case, task_id: str) -> Task:
    number = _number(task_id)
    task = Task.objects.filter(case=case, pk=number).select_related("case").first() if number else None
    if task is None:
        raise Http404
    return task


OPEN_SCHEMA = extend_schema(
    summary="Open a case from reports",
    description="Your organisation leads it. The reports must be ones it received, not yet in a case "
    "(409 if one was taken meanwhile).",
    request=CaseOpenInputSerializer,
    responses={201: OpenApiResponse(CaseDetailSerializer, description="Opened."), **problems(400, 409)},
)


def case_open(request) -> Response:
    """`POST /cases/` (CaseViewSet.create): open a case from reports the caller's organisation received."""
    data = _input(CaseOpenInputSerializer, request.data)
    reports = _reports(request, data["reports"])
    participants = [_organisation(code, "participants") for code in dict.fromkeys(data["participants"])]
    case = services.case_open(
        reports=reports,
        ctx=audit_context(request),
        title=data["title"],
        participants=participants,
        access_level=data["access_level"],
        due_at=end_of_day(data.get("due_date")),
    )
    return case_detail_response(request, case, status.HTTP_201_CREATED)


class CaseAttachView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Attach reports to a case",
        description="The lead organisation's focal point or head attaches reports it received.",
        tags=TAGS,
        request=CaseAttachInputSerializer,
        responses={200: CaseDetailSerializer, **problems(400, 404, 409)},
    )
    @idempotent
    def post(self, request, reference: str):
        case = _case(request, reference)
        data = _input(CaseAttachInputSerializer, request.data)
        services.case_attach_reports(case=case, reports=_reports(request, data["reports"]), ctx=audit_context(request))
        return case_detail_response(request, case)


class CaseParticipantView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Add an organisation to a case",
        description="Đ11.8: the lead brings another organisation in (a carrier to verify a subscriber...). "
        "Adding one already taking part changes nothing.",
        tags=TAGS,
        request=CaseParticipantInputSerializer,
        responses={200: CaseDetailSerializer, **problems(400, 404)},
    )
    @idempotent
    def post(self, request, reference: str):
        case = _case(request, reference)
        data = _input(CaseParticipantInputSerializer, request.data)
        org = _organisation(data["organisation"], "organisation")
        services.case_add_participant(case=case, organisation=org, ctx=audit_context(request))
        return case_detail_response(request, case)


class CaseParticipantRemoveView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Remove an organisation from a case",
        description="Đ3.1, Đ17.1: the lead takes an organisation off the case, saying why; its people are "
        "un-named and its open tasks cancelled. The lead itself cannot be removed (409).",
        tags=TAGS,
        request=CaseParticipantRemoveInputSerializer,
        responses={200: CaseDetailSerializer, **problems(400, 404, 409)},
    )
    @idempotent
    def post(self, request, reference: str, code: str):
        case = _case(request, reference)
        data = _input(CaseParticipantRemoveInputSerializer, request.data)
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise Http404
        services.remove_participant(case=case, organisation=org, reason=data["reason"], ctx=audit_context(request))
        return case_detail_response(request, case)


class CaseMemberView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Name a person on a case",
        description="The lead names anyone of the case's organisations; another organisation only its own people.",
        tags=TAGS,
        request=CaseMemberInputSerializer,
        responses={200: CaseDetailSerializer, **problems(400, 404, 409)},
    )
    @idempotent
    def post(self, request, reference: str):
        case = _case(request, reference)
        data = _input(CaseMemberInputSerializer, request.data)
        services.case_add_member(case=case, user=_person(data["user"], "user"), ctx=audit_context(request))
        return case_detail_response(request, case)


class CaseTaskView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Create a task on a case",
        description="Ask a participating organisation, or one of its people (`owner`), to do something by a date.",
        tags=TAGS,
        request=CaseTaskInputSerializer,
        responses={201: OpenApiResponse(CaseTaskSerializer, description="Created."), **problems(400, 404, 409)},
    )
    @idempotent
    def post(self, request, reference: str):
        case = _case(request, reference)
        data = _input(CaseTaskInputSerializer, request.data)
        owner = _person(data["owner"], "owner") if data.get("owner") else None
        task = services.task_create(
            case=case,
            title=data["title"],
            organisation=_organisation(data["organisation"], "organisation"),
            owner=owner,
            due_at=end_of_day(data.get("due_date")),
            ctx=audit_context(request),
        )
        return Response(CaseTaskSerializer(task).data, status=status.HTTP_201_CREATED)


class CaseTaskCompleteView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(
        summary="Complete a task, with its result",
        description="The organisation the task was given to reports it done. Files of the result go as "
        "multipart/form-data (`files`, repeated); each is checked by its content and kept with its SHA-256.",
        tags=TAGS,
        request={
            "application/json": CaseTaskCompleteInputSerializer,
            "multipart/form-data": CaseTaskCompleteInputSerializer,
        },
        responses={200: CaseTaskSerializer, **problems(400, 404, 409, 413)},
    )
    @idempotent
    def post(self, request, reference: str, task_id: str):
        case = _case(request, reference)
        task = _task(case, task_id)
        if not isinstance(request.data, Mapping):
            raise Invalid({"": [_("Send the fields as a JSON object.")]})
        data = _input(CaseTaskCompleteInputSerializer, {"result": request.data.get("result")})
        files = request.FILES.getlist("files")
        task = services.task_complete(task=task, result=data["result"], files=files, ctx=audit_context(request))
        return Response(CaseTaskSerializer(task).data)


class CaseTaskReassignView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Reassign a task",
        description="Give an open task to another person of the organisation it was given to (the same people "
        "may do it as may create a task). The new owner is named on the case and told; the previous owner is "
        "told too. A task done or cancelled cannot be reassigned (409).",
        tags=TAGS,
        request=CaseTaskReassignInputSerializer,
        responses={200: CaseTaskSerializer, **problems(400, 404, 409)},
    )
    @idempotent
    def post(self, request, reference: str, task_id: str):
        case = _case(request, reference)
        task = _task(case, task_id)
        data = _input(CaseTaskReassignInputSerializer, request.data)
        task = services.task_reassign(
            task=task, owner=_person(data["owner"], "owner"), reason=data["reason"], ctx=audit_context(request)
        )
        return Response(CaseTaskSerializer(task).data)


class CaseNoteView(OrganisationApiMixin, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Add a note to a case",
        description="People of the case's organisations; refused (409) on a case with a state-secret dossier.",
        tags=TAGS,
        request=CaseNoteInputSerializer,
        responses={201: OpenApiResponse(CaseNoteSerializer, description="Added."), **problems(400, 404, 409)},
    )
    @idempotent
    def post(self, request, reference: str):
        case = _case(request, reference)
        data = _input(CaseNoteInputSerializer, request.data)
        note = services.note_add(case=case, text=data["text"], ctx=audit_context(request))
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseEvidenceView(OrganisationApiMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Upload evidence to a case",
        description="Đ11.8, Đ17.1: files (`files`, repeated, at most 10) for the case or one of its tasks "
        "(`task`). Each is checked by its content; a bad file refuses the whole upload, naming it.",
        tags=TAGS,
        request={"multipart/form-data": CaseEvidenceUploadSerializer},
        responses={
            201: OpenApiResponse(CaseEvidenceSerializer(many=True), description="Stored."),
            **problems(400, 404, 409, 413, 415),
        },
    )
    @idempotent
    def post(self, request, reference: str):
        case = _case(request, reference)
        task_id = request.data.get("task") or None
        number = _number(task_id) if task_id is not None else None
        if task_id is not None and number is None:
            raise Invalid({"task": [_("Give the task's number.")]})
        task = Task.objects.filter(case=case, pk=number).first() if number else None
        if number and task is None:
            raise Invalid({"task": [_("That task is not one of this case's.")]})
        rows = services.add_case_evidence(
            case=case, files=request.FILES.getlist("files"), task=task, ctx=audit_context(request)
        )
        return Response(CaseEvidenceSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)
