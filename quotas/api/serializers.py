"""Agreements, pools and channels as the API shows and accepts them.

Serializers check the shape of a request only; the slot arithmetic lives in
``quotas.services`` and its errors come back as 400s naming the field.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from common.api.fields import ScopedPrimaryKeyField
from institutions.api.fields import TranslationsField
from institutions.api.serializers import InstitutionBriefSerializer
from institutions.models import Institution, Specialty
from quotas.choices import CooperationArea
from quotas.models import Agreement, Channel, QuotaPool
from quotas.selectors import agreement_list, channel_list, pool_list

ACTIVE_INSTITUTIONS = Institution.objects.filter(is_active=True)


def _check_period(
    attrs: dict[str, Any],
    instance: models.Model | None,
    *,
    start: str,
    end: str,
) -> None:
    """Refuse an end before the start, looking at the stored value of a field not sent."""
    begins: datetime.date | None = attrs.get(start, getattr(instance, start, None))
    ends: datetime.date | None = attrs.get(end, getattr(instance, end, None))
    if begins is not None and ends is not None and ends < begins:
        raise serializers.ValidationError({end: _("The end cannot be before the start.")})


# --- Agreements -----------------------------------------------------------------


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    """An agreement; ``title`` is read and written in the request's language
    (Accept-Language; read falling back to Russian, then English), ``titles`` lists
    every language's."""

    titles = TranslationsField("title")
    party_institutions = serializers.PrimaryKeyRelatedField(
        queryset=ACTIVE_INSTITUTIONS, many=True, required=False
    )
    party_countries = serializers.ListField(child=CountryField(), required=False)
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=ACTIVE_INSTITUTIONS, required=False, allow_null=True
    )
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=CooperationArea.choices), required=False
    )
    pool_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "titles",
            "kind",
            "status",
            "party_institutions",
            "party_countries",
            "coordinator",
            "signed_on",
            "valid_from",
            "valid_until",
            "areas",
            "summary",
            "pool_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "titles", "pool_count", "created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_period(attrs, self.instance, start="valid_from", end="valid_until")
        return attrs


# --- Channels -------------------------------------------------------------------


class ChannelInPoolSerializer(serializers.ModelSerializer[Channel]):
    """A channel inside its pool, with its slots taken and free."""

    issuing_institution = InstitutionBriefSerializer(read_only=True)
    used_slots = serializers.IntegerField(read_only=True)
    free_slots = serializers.IntegerField(read_only=True)

    class Meta:
        model = Channel
        fields = ["id", "issuing_institution", "slots", "used_slots", "free_slots"]
        read_only_fields = fields


class ChannelSerializer(ChannelInPoolSerializer):
    pool_code = serializers.CharField(source="pool.code", read_only=True)

    class Meta(ChannelInPoolSerializer.Meta):
        fields = ["id", "pool", "pool_code", *ChannelInPoolSerializer.Meta.fields[1:]]
        read_only_fields = fields


class ChannelOpenSerializer(serializers.Serializer[Any]):
    pool = ScopedPrimaryKeyField(scope=pool_list)
    issuing_institution = serializers.PrimaryKeyRelatedField(queryset=ACTIVE_INSTITUTIONS)
    slots = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ChannelSlotsSerializer(serializers.Serializer[Any]):
    slots = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- Pools ----------------------------------------------------------------------


class QuotaPoolSerializer(serializers.ModelSerializer[QuotaPool]):
    """A pool; ``name`` is read and written in the request's language (read falling
    back to Russian, then English), ``names`` lists every language's."""

    names = TranslationsField("name")
    agreement = ScopedPrimaryKeyField(scope=agreement_list)
    agreement_title = serializers.CharField(source="agreement.title", read_only=True)
    sending_country = CountryField()
    host_country = CountryField()
    specialties: serializers.SlugRelatedField[Specialty] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Specialty.objects.all(),
        many=True,
        required=False,
        help_text=_("Codes of the allowed specialties; empty: any specialty."),
    )
    eligible_institutions = serializers.PrimaryKeyRelatedField(
        queryset=ACTIVE_INSTITUTIONS,
        many=True,
        required=False,
        help_text=_("Eligible host institutions; empty: any institution of the host country."),
    )
    total_slots = serializers.IntegerField(min_value=0)
    hold_days = serializers.IntegerField(min_value=1, required=False)
    allotted_slots = serializers.IntegerField(
        read_only=True, help_text=_("Slots given to the pool's channels.")
    )
    used_slots = serializers.IntegerField(
        read_only=True, help_text=_("Live allocations: held, confirmed or used.")
    )
    free_slots = serializers.IntegerField(
        read_only=True, help_text=_("Total slots less the live allocations.")
    )
    channels = ChannelInPoolSerializer(many=True, read_only=True)

    class Meta:
        model = QuotaPool
        fields = [
            "id",
            "agreement",
            "agreement_title",
            "name",
            "names",
            "code",
            "kind",
            "period_start",
            "period_end",
            "sending_country",
            "host_country",
            "specialties",
            "eligible_institutions",
            "total_slots",
            "hold_days",
            "allotted_slots",
            "used_slots",
            "free_slots",
            "channels",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "agreement_title",
            "names",
            "allotted_slots",
            "used_slots",
            "free_slots",
            "channels",
            "created_at",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_period(attrs, self.instance, start="period_start", end="period_end")
        return attrs


class TransferSerializer(serializers.Serializer[Any]):
    target = ScopedPrimaryKeyField(scope=channel_list, help_text="The channel receiving the slots.")
    slots = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class ChannelAfterTransferSerializer(serializers.ModelSerializer[Channel]):
    class Meta:
        model = Channel
        fields = ["id", "pool", "issuing_institution", "slots", "live_allocations"]


class TransferResultSerializer(serializers.Serializer[Any]):
    from_channel = ChannelAfterTransferSerializer()
    to_channel = ChannelAfterTransferSerializer()
