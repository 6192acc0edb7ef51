from __future__ import annotations

from rest_framework import serializers

from ..models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    unread = serializers.BooleanField(source="is_unread", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "kind", "article", "title", "text", "link", "created_at", "read_at", "unread"]
        read_only_fields = fields
