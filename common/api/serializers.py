from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.models import COMMENT_MAX_LENGTH


class CommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class RequiredCommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(max_length=COMMENT_MAX_LENGTH)
