"""The REST API of intake: organisations send reports (Đ11.5, Đ3.4), one by one or as a file, and read
back what they may see. Every write goes through the same services as the web form; every read goes
through visible_reports, so a report out of scope is a 404.
"""

from __future__ import annotations

from typing import cast

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from phoihop.api.base import OrganisationApiMixin, RequestTooLarge, audit_context, content_length
from phoihop.api.parsers import BoundedJSONParser
from phoihop.api.throttles import TokenRateThrottle
from phoihop.audit.services import audit_reads
from phoihop.inbox.models import Delivery
from phoihop.indicators.normalise import normalise
from phoihop.indicators.selectors import indicator_report_count
from phoihop.taxonomy.models import Behaviour

from .. import imports
from ..choices import Channel
from ..filters import ReportFilter
from ..models import Report, ReportIndicator
from ..permissions import ReportAction, can, visible_reports
from ..selectors import (
    COUNT_CAP,
    ReportListPage,
    case_counts,
    is_restricted,
    report_for_reading,
    report_list_page,
    restricted_ids,
)
from ..services import report_submit
from .rows import report_rows_by_ids, report_rows_by_reference
from .serializers import (
    KIND_CHOICES,
    LOOKUP_VALUE_MAX,
    BehaviourSerializer,
    DetailSerializer,
    ErrorsSerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    IndicatorLookupQuerySerializer,
    IndicatorLookupSerializer,
    ReportCreatedSerializer,
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportSerializer,
)

MAX_JSON_BYTES = 1024 * 1024  # one report; evidence files do not travel in JSON
MAX_KEY_LENGTH = 100  # the Idempotency-Key of one report becomes its external_ref
LOOKUP_LIMIT = 20

ERRORS = {
    400: OpenApiResponse(ErrorsSerializer, description="Invalid input: messages by field."),
    401: OpenApiResponse(DetailSerializer, description="No token, or a wrong or revoked one."),
    403: OpenApiResponse(DetailSerializer, description="The account does not belong to an organisation."),
    429: OpenApiResponse(DetailSerializer, description="Too many requests for this token: wait and retry."),
}
EXPAND = OpenApiParameter(
    "expand",
    str,
    OpenApiParameter.QUERY,
    required=False,
    enum=["correlations"],
    description=(
        "`correlations`: also the number of cases of each indicator and the other reports you may see "
        "(costs a few queries; without it each indicator carries its report count only)."
    ),
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique key per report (a UUID, say). When the body has no external_ref the key becomes it, so "
        "a retry of the same call returns the report already created (200) instead of a second one."
    ),
)


class ReportPagination(PageNumberPagination):
    """`page` and `page_size` as before; the page is read through the scope's branches (report_list_page) and
    the count stops at COUNT_CAP: `count` is exact up to 1,000, and `count_capped` says there are more."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_report_list(self, request, user, qs: QuerySet[Report]) -> ReportListPage:
        self.request = request
        size = self.get_page_size(request) or self.page_size
        raw = request.query_params.get(self.page_query_param) or 1
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            raise exceptions.NotFound(self.invalid_page_message)
        page = report_list_page(user, qs, number=number, size=size)
        if number > 1 and not page.ids:
            raise exceptions.NotFound(self.invalid_page_message)
        self.list_page = page
        return page

    def get_paginated_response(self, data):
        page = self.list_page
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, self.page_query_param, page.number + 1) if page.has_next else None
        previous_url = None
        if page.has_previous:
            previous_url = (
                replace_query_param(url, self.page_query_param, page.number - 1)
                if page.number > 2
                else remove_query_param(url, self.page_query_param)
            )
        return Response(
            {
                "count": page.shown_count,
                "count_capped": page.count_capped,
                "next": next_url,
                "previous": previous_url,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["properties"]["count"]["description"] = (
            f"How many reports match, exact up to {COUNT_CAP:,}; with more, {COUNT_CAP:,} and count_capped is true."
        )
        body["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"More than {COUNT_CAP:,} reports match (the count stops there; follow `next`).",
        }
        body["required"] = [*body.get("required", []), "count_capped"]
        return body


def _idempotency_key(request, max_length: int) -> str:
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > max_length or not key.isprintable():
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("At most %(n)d printable characters.") % {"n": max_length}]}
        )
    return key


def report_queryset(qs: QuerySet[Report]) -> QuerySet[Report]:
    """Reports with everything the serializers show, in a fixed number of queries."""
    return qs.select_related("behaviour", "sector", "area").prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.select_related("organisation").order_by("pk")),
        Prefetch(
            "indicator_links",
            queryset=ReportIndicator.objects.select_related("indicator").order_by(
                "indicator__kind", "indicator__value"
            ),
        ),
    )


class ReportListCreateView(OrganisationApiMixin, generics.ListCreateAPIView):
    """GET: the reports the caller may see. POST: send one report."""

    parser_classes = [BoundedJSONParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilter
    pagination_class = ReportPagination

    def get_queryset(self) -> QuerySet[Report]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Report.objects.none()
        if self.request.method == "GET":
            # What a generic caller would list; list() reads the page through the scope's branches instead.
            return visible_reports(self.request.user).order_by("-created_at", "-pk")
        return report_queryset(visible_reports(self.request.user)).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return ReportCreateSerializer if self.request.method == "POST" else ReportSerializer

    @extend_schema(
        summary="List reports",
        description=(
            "The reports your organisation may see: an enterprise sees the reports it made; an agency the "
            "reports delivered to it. Newest first, paginated (`page`, `page_size` up to 200)."
        ),
        responses={
            200: ReportSerializer(many=True),
            **ERRORS,
            404: OpenApiResponse(DetailSerializer, description="A page past the last one."),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        # The client's filters on every report; the permission scope comes in as the union of its branches
        # (delivered to us, made by us, in a case we see), each walked newest first through its own index.
        filtered = Report.objects.all()
        if any(name in request.query_params for name in ReportFilter.base_filters):  # else there is nothing to do
            filtered = self.filter_queryset(filtered)
        paginator = cast(ReportPagination, self.paginator)
        page = paginator.paginate_report_list(request, request.user, filtered)
        # The page is written from plain rows (ReportSerializer's fields, rows.py): no model objects.
        reports = report_rows_by_ids(page.ids)
        restricted = restricted_ids([r.pk for r in reports])
        if restricted:  # Đ3.1: reports of restricted cases leave a trace when read, through any door
            objs = [r.as_report() for r in reports if r.pk in restricted]
            audit_reads(ctx=audit_context(self.request), action="report.view", objs=objs, via="api")
        return paginator.get_paginated_response([r.body for r in reports])

    @extend_schema(
        summary="Send a report",
        description=(
            "Receives one report through the same checks and routing as the web form, and returns where it "
            "was delivered (with the articles that say so) and how its indicators correlate with earlier "
            "reports. 201 when created; 200 with the existing report when the same report is sent again under "
            "an `external_ref` (or Idempotency-Key) your organisation already used; 400 naming that report when "
            "another report is sent under it. JSON only: evidence files are not accepted here."
        ),
        parameters=[IDEMPOTENCY_KEY, EXPAND],
        request=ReportCreateSerializer,
        responses={
            201: OpenApiResponse(ReportCreatedSerializer, description="Created."),
            200: OpenApiResponse(ReportCreatedSerializer, description="Already received (a replay)."),
            **ERRORS,
            413: OpenApiResponse(DetailSerializer, description="The body is larger than 1 MB."),
            415: OpenApiResponse(DetailSerializer, description="The body is not JSON."),
        },
        examples=[
            OpenApiExample(
                "Fraud call",
                request_only=True,
                value={
                    "behaviour": "13.4",
                    "area": "st-vinh-chau",
                    "occurred_at": "2026-03-01T14:30:00+07:00",
                    "description": "Gọi điện giả danh công an, yêu cầu chuyển tiền vào tài khoản.",
                    "indicators": [
                        {"kind": "phone", "value": "0912 345 678"},
                        {"kind": "bank_account", "value": "0071000123456", "bank": "VCB"},
                    ],
                    "external_ref": "FRAUD-2026-0001",
                },
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        if content_length(request) > MAX_JSON_BYTES:
            raise RequestTooLarge()
        key = _idempotency_key(request, MAX_KEY_LENGTH)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submitted = report_submit(
            data=serializer.to_input(idempotency_key=key), channel=Channel.API, ctx=audit_context(request)
        )
        # The sender gets its own report back even if the scope would not list it (an agency's report
        # is delivered to others). A new report comes back from what the write holds; a replay is read.
        report = (
            submitted.report if submitted.created else report_queryset(Report.objects.all()).get(pk=submitted.report.pk)
        )
        context = {**self.get_serializer_context(), "expand_correlations": _expand_correlations(request)}
        body = ReportCreatedSerializer(report, context=context).data
        location = reverse("api:report-detail", kwargs={"reference": report.reference})
        return Response(
            body,
            status=status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK,
            headers={"Location": location},
        )


def _expand_correlations(request) -> bool:
    return "correlations" in request.query_params.get("expand", "").split(",")


class ReportDetailView(OrganisationApiMixin, generics.RetrieveAPIView):
    """One report through the permission scope: out of scope and missing are the same 404."""

    serializer_class = ReportDetailSerializer
    lookup_field = "reference"

    def get_queryset(self) -> QuerySet[Report]:
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        return report_queryset(visible_reports(self.request.user))

    def get_object(self) -> Report:
        # Fetched by its reference, then checked with can() (a few small memoised queries) rather than
        # through the whole scope; the correlation builds the scope once, from the same memo.
        return self._readable(report_for_reading(self._reference()))

    def _reference(self) -> str:
        return self.kwargs["reference"].strip().upper()

    def _readable(self, report: Report | None) -> Report:
        """`report` if the caller may read it (else a 404, as for a missing one), its reading audited."""
        if report is None or not can(self.request.user, ReportAction.VIEW, report):
            raise exceptions.NotFound()
        if is_restricted(report):  # Đ3.1: as on the report page, reading it leaves a trace
            audit_reads(ctx=audit_context(self.request), action="report.view", objs=[report], via="api")
        return report

    def retrieve(self, request, *args, **kwargs):
        if _expand_correlations(request):  # the correlation reads the links with their indicators
            return super().retrieve(request, *args, **kwargs)
        # Without it the body comes from plain rows (rows.py), checked and audited as get_object does.
        found = report_rows_by_reference(self._reference())
        if found is None:
            raise exceptions.NotFound()
        self._readable(found.as_report())
        return Response({**found.body, "correlation": found.correlation()})

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "expand_correlations": _expand_correlations(self.request)}

    @extend_schema(
        summary="One report",
        description=(
            "The report as listed, and for each indicator the number of reports naming it; with "
            "`expand=correlations`, also the number of cases and the other reports you may see."
        ),
        parameters=[EXPAND],
        responses={200: ReportDetailSerializer, **ERRORS, 404: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


class ReportImportView(OrganisationApiMixin, APIView):
    """Bulk import of a CSV, XLSX or JSON file, idempotent on its key."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import a file of reports",
        description=(
            "Send a file of reports as multipart/form-data (`file`), with an `Idempotency-Key` header (or "
            f"a `key` field, at most {imports.MAX_KEY_LENGTH} characters). Good rows are created, bad "
            "rows are listed with their row number and the fields at fault. The same key with the same "
            "file returns the first result without importing anything again; the same key with a "
            "different file is refused "
            "(409).\n\n" + imports.FORMAT_HELP
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Required (or the `key` field): one key per file.",
            )
        ],
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportResultSerializer,
            **ERRORS,
            409: OpenApiResponse(ErrorsSerializer, description="The key was used for a different file."),
            415: OpenApiResponse(DetailSerializer, description="Not multipart/form-data."),
        },
    )
    def post(self, request):
        # Refuse an oversized upload before Django spools it to disk.
        if content_length(request) > imports.MAX_BYTES + 64 * 1024:
            raise imports.file_too_large()
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": [_("Send the file in the 'file' field.")]})
        if upload.size > imports.MAX_BYTES:
            raise imports.file_too_large()
        key = request.headers.get("Idempotency-Key") or request.data.get("key")
        outcome = imports.reports_import(
            organisation=request.user.organisation, key=key, content=upload.read(), ctx=audit_context(request)
        )
        return Response(outcome.body, status=status.HTTP_200_OK)


class IndicatorLookupView(OrganisationApiMixin, APIView):
    """How often a phone number, URL, account... was reported: counts over all, references you may see."""

    @extend_schema(
        summary="Look up an indicator",
        description=(
            "Normalises the value as intake does (`0912 345 678`, `+84912345678` and `84-912-345-678` are "
            "the same phone) and returns how many reports and cases named it. The counts cover every "
            "report; `reports` lists only those you may see."
        ),
        parameters=[IndicatorLookupQuerySerializer],
        responses={200: IndicatorLookupSerializer, **ERRORS},
    )
    def get(self, request):
        kind, value = _lookup_query(request.query_params)
        parsed = normalise(kind, value)
        found = indicator_report_count(str(parsed.kind), parsed.value)
        references: list[str] = []
        total_cases = 0
        if found is not None:
            indicator_id = found[0]
            references = list(
                visible_reports(request.user)
                .filter(indicator_links__indicator_id=indicator_id)
                .order_by("-created_at")
                .values_list("reference", flat=True)[:LOOKUP_LIMIT]
            )
            total_cases = case_counts([indicator_id]).get(indicator_id, 0)
        body = {  # what IndicatorLookupSerializer (the schema) declares, written directly
            "kind": str(parsed.kind),
            "value": str(parsed.value),
            "valid": bool(parsed.valid),
            "error_code": None if parsed.error_code is None else str(parsed.error_code),
            "found": found is not None,
            "total_reports": int(found[1]) if found else 0,
            "total_cases": int(total_cases),
            "reports": [str(r) for r in references],
        }
        return Response(body)


_KINDS = frozenset(KIND_CHOICES)


def _lookup_query(params) -> tuple[str, str]:
    """`kind` and `value` as IndicatorLookupQuerySerializer validates them. The common case (a known kind, a
    value of printable characters, at most LOOKUP_VALUE_MAX once trimmed) is checked here without building the
    serializer's fields; anything else goes through it, which words the refusal."""
    kind, value = params.get("kind"), params.get("value")
    if kind in _KINDS and isinstance(value, str):
        trimmed = value.strip()
        if trimmed and len(trimmed) <= LOOKUP_VALUE_MAX and trimmed.isprintable():
            return kind, trimmed
    query = IndicatorLookupQuerySerializer(data=params)
    query.is_valid(raise_exception=True)
    return query.validated_data["kind"], query.validated_data["value"]


class BehaviourListView(generics.ListAPIView):
    """The violation taxonomy of the rule set in force: public data, but the API needs a token."""

    serializer_class = BehaviourSerializer
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Behaviour]:
        return (
            Behaviour.objects.filter(is_active=True).select_related("sector").order_by("sector__position", "position")
        )

    @extend_schema(
        summary="Violation taxonomy",
        responses={200: BehaviourSerializer(many=True), 401: ERRORS[401], 429: ERRORS[429]},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
