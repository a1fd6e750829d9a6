"""Serializers of the referral API. A clinic reads a narrower view of the patient."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from allocations.choices import AllocationState
from applications.choices import Urgency
from applications.models import MEDICAL_SUMMARY_MAX_LENGTH
from applications.selectors import application_list
from common.api.fields import OptionalChoiceField, ScopedPrimaryKeyField
from common.models import COMMENT_MAX_LENGTH
from institutions.models import Institution, Specialty
from patients.choices import MedicalDocumentKind
from patients.models import Patient
from patients.selectors import patient_list
from quotas.models import Agreement
from referrals.choices import (
    DeclineReason,
    DischargeOutcome,
    FundingSource,
    ReferralStatus,
    RescheduleReason,
)
from referrals.models import (
    COVERING_LETTER_MAX_LENGTH,
    DISCHARGE_SUMMARY_MAX_LENGTH,
    Referral,
    ReferralDocument,
    ReferralEvent,
)


def _comment(*, required: bool = False) -> serializers.CharField:
    """A step's comment, bounded by ``COMMENT_MAX_LENGTH``."""
    if required:
        return serializers.CharField(max_length=COMMENT_MAX_LENGTH)
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=COMMENT_MAX_LENGTH
    )


class StepCommentSerializer(serializers.Serializer[Any]):
    comment = _comment()


class RequiredStepCommentSerializer(serializers.Serializer[Any]):
    comment = _comment(required=True)


class ReferralSendSerializer(serializers.Serializer[Any]):
    """A referral of an approved application (quota)."""

    application = ScopedPrimaryKeyField(scope=application_list)
    receiving_institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True)
    )
    covering_letter = serializers.CharField(max_length=COVERING_LETTER_MAX_LENGTH)
    shared_documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )


class ReferralWithoutQuotaSerializer(serializers.Serializer[Any]):
    sender = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    patient = ScopedPrimaryKeyField(scope=patient_list)
    receiving_institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True)
    )
    funding_source = serializers.ChoiceField(
        choices=FundingSource.choices, help_text="State budget, insurance or self-paying."
    )
    specialty = serializers.SlugRelatedField(slug_field="code", queryset=Specialty.objects.all())
    diagnosis_code = serializers.CharField(max_length=8)
    diagnosis_text = serializers.CharField(max_length=500)
    medical_summary = serializers.CharField(max_length=MEDICAL_SUMMARY_MAX_LENGTH)
    covering_letter = serializers.CharField(max_length=COVERING_LETTER_MAX_LENGTH)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(), required=False, allow_null=True
    )


class AcceptSerializer(serializers.Serializer[Any]):
    admission_date = serializers.DateField()
    department = serializers.CharField(max_length=200)
    contact_person = serializers.CharField(max_length=200)
    comment = _comment()


class RescheduleSerializer(serializers.Serializer[Any]):
    admission_date = serializers.DateField(help_text="The new admission date.")
    reason = serializers.ChoiceField(choices=RescheduleReason.choices)
    comment = _comment()


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    comment = _comment()


class AdmitSerializer(serializers.Serializer[Any]):
    admitted_on = serializers.DateField()
    comment = _comment()


class DischargeSerializer(serializers.Serializer[Any]):
    discharged_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=DischargeOutcome.choices)
    discharge_summary = serializers.CharField(max_length=DISCHARGE_SUMMARY_MAX_LENGTH)


class ReferralDocumentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    kind = serializers.ChoiceField(
        choices=MedicalDocumentKind.choices, default=MedicalDocumentKind.MEDICAL_REPORT
    )


class ReferralEventSerializer(serializers.ModelSerializer[ReferralEvent]):
    # The API names a step's states as the model's own field does: status.
    from_status = serializers.ChoiceField(
        source="from_state", choices=ReferralStatus.choices, allow_blank=True, required=False
    )
    to_status = serializers.ChoiceField(source="to_state", choices=ReferralStatus.choices)
    # Null for a step the portal took (a promotion, a lapse, an expiry).
    actor = serializers.CharField(
        source="actor.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = ReferralEvent
        fields = [
            "from_status",
            "to_status",
            "reason",
            "comment",
            "rescheduled_from",
            "rescheduled_to",
            "actor",
            "created_at",
        ]


class ReferralPatientSerializer(serializers.ModelSerializer[Patient]):
    """What a receiving clinic learns of the patient."""

    class Meta:
        model = Patient
        fields = [
            "name_native",
            "name_latin",
            "birth_date",
            "sex",
            "citizenship",
            "preferred_language",
            "guardian_name",
            "guardian_phone",
        ]


class ReferralDocumentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    origin = serializers.CharField()
    download_url = serializers.CharField()


def referral_documents(referral: Referral) -> list[dict[str, Any]]:
    """The shared application documents and the referral's own, each with its link."""
    rows = []
    for origin, documents in (
        ("application", referral.shared_documents.all()),
        ("referral", referral.documents.all()),
    ):
        for document in documents:
            rows.append(
                {
                    "id": document.pk,
                    "kind": document.kind,
                    "original_name": document.original_name,
                    "content_type": document.content_type,
                    "size": document.size,
                    "origin": origin,
                    "download_url": reverse(
                        "referral-document-download",
                        kwargs={"pk": referral.pk, "origin": origin, "document_id": document.pk},
                    ),
                }
            )
    return rows


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    patient = ReferralPatientSerializer(read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    specialty = serializers.CharField(source="specialty.code", read_only=True)
    sender_name = serializers.CharField(source="sender.name", read_only=True)
    receiving_institution_name = serializers.CharField(
        source="receiving_institution.name", read_only=True
    )
    # Null for a referral without a quota slot.
    allocation_state = serializers.ChoiceField(
        source="allocation.state",
        choices=AllocationState.choices,
        default=None,
        allow_null=True,
        read_only=True,
    )
    # Null until the clinic declines, or discharges.
    decline_reason = OptionalChoiceField(choices=DeclineReason.choices, read_only=True)
    outcome = OptionalChoiceField(choices=DischargeOutcome.choices, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "status",
            "funding_source",
            "patient",
            "sender",
            "sender_name",
            "receiving_institution",
            "receiving_institution_name",
            "specialty",
            "diagnosis_code",
            "diagnosis_text",
            "urgency",
            "admission_date",
            "department",
            "contact_person",
            "decline_reason",
            "admitted_on",
            "discharged_on",
            "outcome",
            "allocation_state",
            "created_at",
            "status_changed_at",
        ]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSerializer):
    history = ReferralEventSerializer(source="events", many=True, read_only=True)
    documents = serializers.SerializerMethodField()
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(ReferralSerializer.Meta):
        fields = [
            *ReferralSerializer.Meta.fields,
            "application",
            "medical_summary",
            "covering_letter",
            "discharge_summary",
            "history",
            "documents",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(ReferralDocumentSerializer(many=True))
    def get_documents(self, referral: Referral) -> list[dict[str, Any]]:
        return referral_documents(referral)


class ReferralDocumentOutSerializer(serializers.ModelSerializer[ReferralDocument]):
    class Meta:
        model = ReferralDocument
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at"]
