from __future__ import annotations

from typing import Any

from django.conf import settings
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from institutions.models import Institution
from patients.choices import DocumentType, MedicalDocumentKind, Sex
from patients.models import Patient


class PatientSerializer(serializers.ModelSerializer[Patient]):
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


class PatientKnownSerializer(PatientRegisterSerializer):
    """The answer to registering a document already on the register (200): the
    patient's id with the stored record for a caller who may see it, otherwise with
    only what the caller sent, so the stored-only fields may be absent."""

    registered_by = serializers.CharField(source="registered_by.name", required=False)
    created_at = serializers.DateTimeField(required=False)


class DocumentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    kind = serializers.ChoiceField(
        choices=MedicalDocumentKind.choices, default=MedicalDocumentKind.MEDICAL_REPORT
    )


class PatientBriefSerializer(serializers.ModelSerializer[Patient]):
    class Meta:
        model = Patient
        fields = ["id", "name_latin", "name_native", "birth_date", "sex"]
