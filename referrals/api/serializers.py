"""Input serializers validate the shape of a request; output serializers render.

No business rule lives here: the services decide, and say why in their errors.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyField
from institutions.models import Institution, Specialty
from quotas.choices import LIVE_ALLOCATION_STATES, ReleaseReason
from quotas.models import Allocation, AllocationEvent, Channel
from quotas.selectors import channel_list

from ..choices import (
    ApplicationStatus,
    DocumentType,
    MedicalDocumentKind,
    RejectionReason,
    Sex,
    Urgency,
    WithdrawalReason,
)
from ..models import Application, ApplicationDocument, ApplicationEvent, Patient
from ..selectors import patient_list

# --- Patients -------------------------------------------------------------------


class PatientSerializer(serializers.ModelSerializer):
    citizenship = CountryField()
    document_country = CountryField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    registered_by = serializers.CharField(source="registered_by.name", read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "name_native",
            "name_latin",
            "birth_date",
            "sex",
            "citizenship",
            "document_type",
            "document_number",
            "document_country",
            "phone",
            "email",
            "address",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "preferred_language",
            "registered_by",
            "created_at",
        ]
        read_only_fields = ["id", "registered_by", "created_at"]
        # Uniqueness of the document is the service's business (it reuses the record).
        validators: list[Any] = []


class PatientRegisterSerializer(PatientSerializer):
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(),
        required=False,
        help_text="The institution registering the patient; needed only for users of several.",
    )

    class Meta(PatientSerializer.Meta):
        fields = [*PatientSerializer.Meta.fields, "institution"]


# --- Applications -------------------------------------------------------------------


class ApplicationCreateSerializer(serializers.Serializer):
    channel = ScopedPrimaryKeyField(scope=channel_list)
    patient = ScopedPrimaryKeyField(scope=patient_list)
    specialty = serializers.SlugRelatedField(slug_field="code", queryset=Specialty.objects.all())
    diagnosis_code = serializers.CharField(max_length=8)
    diagnosis_text = serializers.CharField(max_length=500)
    medical_summary = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    preferred_host = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True), required=False, allow_null=True
    )


class ApplicationUpdateSerializer(serializers.Serializer):
    specialty = serializers.SlugRelatedField(
        slug_field="code", queryset=Specialty.objects.all(), required=False
    )
    diagnosis_code = serializers.CharField(max_length=8, required=False)
    diagnosis_text = serializers.CharField(max_length=500, required=False)
    medical_summary = serializers.CharField(required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    preferred_host = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True), required=False, allow_null=True
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredCommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


class RejectSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    comment = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=WithdrawalReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(
        choices=MedicalDocumentKind.choices, default=MedicalDocumentKind.MEDICAL_REPORT
    )


class ApplicationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["from_status", "to_status", "reason", "comment", "actor", "created_at"]


class DocumentSerializer(serializers.ModelSerializer):
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


class AllocationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = ["id", "state", "held_until", "channel", "created_at"]


class PatientBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["id", "name_latin", "name_native", "birth_date", "sex"]


class ApplicationSerializer(serializers.ModelSerializer):
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


class ApprovalSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    application = ApplicationSerializer()
    allocation = AllocationBriefSerializer(allow_null=True)
    waitlist_position = serializers.IntegerField(allow_null=True)


# --- Allocations and channels -------------------------------------------------------


class AllocationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = AllocationEvent
        fields = ["from_state", "to_state", "reason", "comment", "actor", "created_at"]


class AllocationSerializer(serializers.ModelSerializer):
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


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReleaseReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class TransferSerializer(serializers.Serializer):
    target = ScopedPrimaryKeyField(scope=channel_list, help_text="The channel receiving the slots.")
    slots = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class ChannelAfterTransferSerializer(serializers.ModelSerializer):
    class Meta:
        model = Channel
        fields = ["id", "pool", "issuing_institution", "slots", "live_allocations"]


class TransferResultSerializer(serializers.Serializer):
    from_channel = ChannelAfterTransferSerializer()
    to_channel = ChannelAfterTransferSerializer()
