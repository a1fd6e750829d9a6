from __future__ import annotations

from typing import Any

from rest_framework import serializers

from allocations.choices import ReleaseReason
from allocations.models import Allocation, AllocationEvent
from common.models import COMMENT_MAX_LENGTH


class AllocationBriefSerializer(serializers.ModelSerializer[Allocation]):
    class Meta:
        model = Allocation
        fields = ["id", "state", "held_until", "channel", "created_at"]


class AllocationEventSerializer(serializers.ModelSerializer[AllocationEvent]):
    # Null for a step the portal took (a promotion, a lapse, an expiry).
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = AllocationEvent
        fields = ["from_state", "to_state", "reason", "comment", "actor", "created_at"]


class AllocationSerializer(serializers.ModelSerializer[Allocation]):
    application_number = serializers.CharField(source="application.number", read_only=True)
    channel_institution = serializers.CharField(
        source="channel.issuing_institution.name", read_only=True
    )
    pool_code = serializers.CharField(source="channel.pool.code", read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "state",
            "held_until",
            "channel",
            "channel_institution",
            "pool_code",
            "application",
            "application_number",
            "created_at",
            "state_changed_at",
        ]
        read_only_fields = fields


class ReleaseSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=ReleaseReason.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=COMMENT_MAX_LENGTH
    )
