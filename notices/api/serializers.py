from rest_framework import serializers

from notices.models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "subject",
            "body_text",
            "link",
            "object_type",
            "object_id",
            "read_at",
            "email_state",
            "created_at",
        ]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
