from __future__ import annotations

from typing import Any

from rest_framework import serializers


class CommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredCommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField()
