from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from notices import kinds
from notices.models import Notice


class NoticeSerializer(serializers.ModelSerializer[Notice]):
    kind = serializers.ChoiceField(choices=kinds.choices(), read_only=True, label=_("kind"))

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


class ReadAllSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField()
