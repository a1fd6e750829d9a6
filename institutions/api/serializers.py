"""The directory as the API shows it: read-only, nested where the selector prefetches."""

from __future__ import annotations

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from institutions.models import Accreditation, Institution, InstitutionSpecialty, Specialty


class SpecialtySerializer(serializers.ModelSerializer[Specialty]):
    class Meta:
        model = Specialty
        fields = ["id", "code", "name"]
        read_only_fields = fields


class OfferedSpecialtySerializer(serializers.ModelSerializer[InstitutionSpecialty]):
    """A specialty an institution offers, with its yearly capacity for foreign patients."""

    code = serializers.CharField(source="specialty.code", read_only=True)
    name = serializers.CharField(source="specialty.name", read_only=True)

    class Meta:
        model = InstitutionSpecialty
        fields = ["code", "name", "annual_capacity"]
        read_only_fields = fields


class AccreditationSerializer(serializers.ModelSerializer[Accreditation]):
    class Meta:
        model = Accreditation
        fields = ["kind", "issuer", "reference", "valid_from", "valid_until"]
        read_only_fields = fields


class InstitutionBriefSerializer(serializers.ModelSerializer[Institution]):
    """An institution named inside another object (a channel, an agreement)."""

    country = CountryField(read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "short_name", "country"]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    country = CountryField(read_only=True)
    specialties = OfferedSpecialtySerializer(
        source="offered_specialties", many=True, read_only=True
    )
    accreditations = AccreditationSerializer(many=True, read_only=True)

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "country",
            "city",
            "parent",
            "email",
            "website",
            "specialties",
            "accreditations",
        ]
        read_only_fields = fields
