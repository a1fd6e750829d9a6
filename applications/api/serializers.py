from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from allocations.api.serializers import AllocationBriefSerializer
from allocations.choices import LIVE_ALLOCATION_STATES
from applications.choices import ApplicationStatus, RejectionReason, Urgency, WithdrawalReason
from applications.models import (
    MEDICAL_SUMMARY_MAX_LENGTH,
    Application,
    ApplicationDocument,
    ApplicationEvent,
)
from common.api.fields import ScopedPrimaryKeyField
from common.models import COMMENT_MAX_LENGTH
from institutions.models import Institution, Specialty
from patients.api.serializers import PatientBriefSerializer
from patients.selectors import patients_to_apply_for
from quotas.selectors import channel_list


class ApplicationCreateSerializer(serializers.Serializer[Any]):
    channel = ScopedPrimaryKeyField(scope=channel_list)
    patient = ScopedPrimaryKeyField(scope=patients_to_apply_for)
    specialty = serializers.SlugRelatedField(slug_field="code", queryset=Specialty.objects.all())
    diagnosis_code = serializers.CharField(max_length=8)
    diagnosis_text = serializers.CharField(max_length=500)
    medical_summary = serializers.CharField(max_length=MEDICAL_SUMMARY_MAX_LENGTH)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    preferred_host = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True), required=False, allow_null=True
    )


class ApplicationUpdateSerializer(serializers.Serializer[Any]):
    specialty = serializers.SlugRelatedField(
        slug_field="code", queryset=Specialty.objects.all(), required=False
    )
    diagnosis_code = serializers.CharField(max_length=8, required=False)
    diagnosis_text = serializers.CharField(max_length=500, required=False)
    medical_summary = serializers.CharField(max_length=MEDICAL_SUMMARY_MAX_LENGTH, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    preferred_host = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True), required=False, allow_null=True
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    comment = serializers.CharField(max_length=COMMENT_MAX_LENGTH)


class WithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=WithdrawalReason.choices)
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ApplicationEventSerializer(serializers.ModelSerializer[ApplicationEvent]):
    # The API names a step's states as the model's own field does: status.
    from_status = serializers.ChoiceField(
        source="from_state", choices=ApplicationStatus.choices, allow_blank=True, required=False
    )
    to_status = serializers.ChoiceField(source="to_state", choices=ApplicationStatus.choices)
    # Null for a step the portal took (a promotion, a lapse, an expiry).
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = ApplicationEvent
        fields = ["from_status", "to_status", "reason", "comment", "actor", "created_at"]


class DocumentSerializer(serializers.ModelSerializer[ApplicationDocument]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "uploaded_at",
            "download_url",
        ]

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, document: ApplicationDocument) -> str:
        return reverse(
            "application-document-download",
            kwargs={"pk": document.application_id, "document_id": document.pk},
        )


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    pool_code = serializers.CharField(source="pool.code", read_only=True)
    channel_institution = serializers.CharField(
        source="channel.issuing_institution.name", read_only=True
    )
    patient = PatientBriefSerializer(read_only=True)
    specialty = serializers.CharField(source="specialty.code", read_only=True)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    allocation = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "pool",
            "pool_code",
            "channel",
            "channel_institution",
            "patient",
            "specialty",
            "diagnosis_code",
            "diagnosis_text",
            "urgency",
            "medical_summary",
            "preferred_host",
            "status",
            "decision_reason",
            "allocation",
            "created_at",
            "submitted_at",
            "status_changed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AllocationBriefSerializer(allow_null=True))
    def get_allocation(self, application: Application) -> dict[str, Any] | None:
        live = getattr(application, "live_allocations", None)
        if live is None:
            live = list(application.allocations.filter(state__in=LIVE_ALLOCATION_STATES))
        return AllocationBriefSerializer(live[0]).data if live else None


class ApplicationDetailSerializer(ApplicationSerializer):
    waitlist_position = serializers.IntegerField(read_only=True, allow_null=True)
    history = ApplicationEventSerializer(source="events", many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "waitlist_position",
            "history",
            "documents",
            "actions",
        ]
        read_only_fields = fields


class ApprovalSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    application = ApplicationSerializer()
    allocation = AllocationBriefSerializer(allow_null=True)
    waitlist_position = serializers.IntegerField(allow_null=True)
