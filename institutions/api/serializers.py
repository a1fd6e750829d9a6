"""The directory as the API shows it: read-only, nested where the selector prefetches."""

from __future__ import annotations

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from common.api.fields import OptionalEmailField, OptionalURLField
from institutions.api.fields import TranslationsField
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
    """An institution named inside another object (a channel, an agreement).

    ``name`` and ``short_name`` are in the request's language (Accept-Language),
    falling back to Russian, then English.
    """

    country = CountryField(read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "short_name", "country"]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    """An institution of the directory; ``name`` and ``short_name`` in the request's
    language (falling back to Russian, then English), ``names`` and ``short_names``
    in every language."""

    country = CountryField(read_only=True)
    names = TranslationsField("name")
    short_names = TranslationsField("short_name")
    specialties = OfferedSpecialtySerializer(
        source="offered_specialties", many=True, read_only=True
    )
    accreditations = AccreditationSerializer(many=True, read_only=True)
    email = OptionalEmailField(read_only=True)
    website = OptionalURLField(read_only=True)

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "short_name",
            "names",
            "short_names",
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
