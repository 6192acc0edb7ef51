"""The deliveries API (Đ3.3, Đ3.4): the caller's pending deliveries, and their acknowledgement, one by one or
many at once, through the inbox's service (delivery_acknowledge: the same people as on the inbox page, each
acknowledgement audited). Deliveries are fetched through the permission scope: another organisation's
delivery, or the report of a restricted case hidden from the caller, is a 404.

    GET  /deliveries/                     the deliveries waiting for acknowledgement, oldest first
    POST /deliveries/{id}/acknowledge/    acknowledge one (again: 200, nothing changed)
    POST /deliveries/acknowledge/         acknowledge several in one transaction: all or none
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.api.base import HasOrganisation, audit_context, problems
from phoihop.api.idempotency import idempotent
from phoihop.api.parsers import BoundedJSONParser
from phoihop.api.throttles import TokenRateThrottle
from phoihop.core.errors import Invalid
from phoihop.core.permissions import scope

from ..models import Delivery
from ..selectors import ack_deadline
from ..services import delivery_acknowledge
from .serializers import (
    DeliveryBulkAcknowledgedSerializer,
    DeliveryBulkAcknowledgeInputSerializer,
    DeliverySerializer,
)

TAGS = ["deliveries"]


class DeliveryPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class _DeliveriesView(APIView):
    """As every organisation operation (phoihop.api.base.OrganisationApiMixin): a token or session of an
    account of an organisation, and the `api` rate per token."""

    permission_classes = [IsAuthenticated, HasOrganisation]
    throttle_classes = [TokenRateThrottle]


def _deliveries(user):
    return scope(user, Delivery.objects.all()).select_related("report", "organisation", "acknowledged_by")


def _context(request) -> dict:
    return {"request": request, "deadline": ack_deadline()}


class PendingDeliveriesView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, HasOrganisation]
    throttle_classes = [TokenRateThrottle]
    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Delivery]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Delivery.objects.none()
        pending = _deliveries(self.request.user).filter(acknowledged_at__isnull=True)
        return pending.order_by("delivered_at", "pk")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "deadline": ack_deadline()}

    @extend_schema(
        summary="My pending deliveries",
        description="Reports delivered to your organisation and not yet acknowledged, oldest first (the "
        "deadline runs from delivery, Đ3.4). Empty for an account that has no inbox (an enterprise's).",
        tags=TAGS,
        responses={200: DeliverySerializer(many=True), **problems(404)},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


class DeliveryAcknowledgeView(_DeliveriesView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Acknowledge a delivery",
        operation_id="deliveries_acknowledge_one",
        description="A focal point, hub coordinator or head of the receiving organisation stops the "
        '"report immediately" clock (Đ3.4). Acknowledging it again answers 200 and changes nothing.',
        tags=TAGS,
        request=None,
        responses={200: DeliverySerializer, **problems(404)},
    )
    @idempotent
    def post(self, request, pk: str):
        number = int(pk) if pk.isdigit() and len(pk) <= 18 else None
        delivery = _deliveries(request.user).filter(pk=number).first() if number else None
        if delivery is None:
            raise Http404
        delivery = delivery_acknowledge(delivery=delivery, ctx=audit_context(request))
        return Response(DeliverySerializer(delivery, context=_context(request)).data)


class DeliveryBulkAcknowledgeView(_DeliveriesView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="Acknowledge several deliveries",
        operation_id="deliveries_acknowledge_many",
        description="Each through the same service as one by one (each audited), all in one transaction: "
        "if one may not be acknowledged by you, none is (403). Ids you cannot see are refused (400).",
        tags=TAGS,
        request=DeliveryBulkAcknowledgeInputSerializer,
        responses={200: DeliveryBulkAcknowledgedSerializer, **problems(400)},
    )
    @idempotent
    def post(self, request):
        if not isinstance(request.data, Mapping):
            raise Invalid({"": [_("Send the fields as a JSON object.")]})
        body = DeliveryBulkAcknowledgeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(body.validated_data["deliveries"]))
        found = {d.pk: d for d in _deliveries(request.user).filter(pk__in=ids)}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise Invalid(
                {"deliveries": [_("No delivery to your organisation: %(ids)s.") % {"ids": ", ".join(missing)}]}
            )
        ctx = audit_context(request)
        done = 0
        with transaction.atomic():
            for pk in ids:
                delivery = found[pk]
                if delivery.acknowledged_at is None:
                    found[pk] = delivery_acknowledge(delivery=delivery, ctx=ctx)
                    done += 1
        deliveries = DeliverySerializer([found[pk] for pk in ids], many=True, context=_context(request)).data
        return Response({"acknowledged": done, "deliveries": deliveries})
