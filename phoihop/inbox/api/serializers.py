"""Serializers of the deliveries API: a delivery in the caller's inbox, and the bulk acknowledgement."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Delivery
from ..selectors import ack_deadline

MAX_BULK = 100  # deliveries acknowledged by one request, as on the inbox page
MAX_ID = 2**63 - 1  # the largest row number the databases hold


class DeliverySerializer(serializers.ModelSerializer):
    """A report delivered to the caller's organisation (Đ3.4), with the articles that sent it there."""

    report: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    articles = serializers.SerializerMethodField()
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    acknowledged_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    overdue = serializers.SerializerMethodField(help_text="Not acknowledged within the deadline (Đ3.4).")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "report",
            "organisation",
            "articles",
            "urgent",
            "delivered_at",
            "acknowledged_at",
            "acknowledged_by",
            "overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_articles(self, delivery: Delivery) -> list[str]:
        return [a.strip() for a in delivery.articles.split(",") if a.strip()]

    def get_overdue(self, delivery: Delivery) -> bool:
        deadline = self.context.get("deadline") or ack_deadline()
        return delivery.acknowledged_at is None and delivery.delivered_at < deadline


class DeliveryBulkAcknowledgeInputSerializer(serializers.Serializer):
    deliveries = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_BULK,
        help_text=f"Ids of deliveries to your organisation (at most {MAX_BULK}).",
    )


class DeliveryBulkAcknowledgedSerializer(serializers.Serializer):
    acknowledged = serializers.IntegerField(help_text="How many were acknowledged by this request.")
    deliveries = DeliverySerializer(many=True)
