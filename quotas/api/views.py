"""The API of agreements, quota pools and their channels.

Reads come from the selectors scoped to the user, so an object the user may not
see is a 404, with or without write permissions. Writes need the Django model
permission (add_* for POST, change_* for PATCH); slots change only through the
services in ``quotas.services``, whose errors become 400s naming the field.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.permissions import ModelPermissionsOrReadOnly, acting_user
from common.api.schema import path_number
from quotas import services
from quotas.api import serializers as s
from quotas.filters import AgreementFilter, ChannelFilter, QuotaPoolFilter
from quotas.models import Agreement, Channel, QuotaPool
from quotas.selectors import (
    agreement_list,
    channel_list,
    pool_list,
    with_channel_counts,
    with_pool_counts,
)

# The writer is answered with what was written, even where the user's
# memberships would not show it in a list (e.g. an agreement between others).


def _agreement_as_written(agreement_id: int) -> Agreement:
    return (
        Agreement.objects.select_related("coordinator")
        .prefetch_related("party_institutions")
        .annotate(pool_count=Count("pools", distinct=True))
        .get(pk=agreement_id)
    )


def _pool_as_written(pool_id: int) -> QuotaPool:
    channels = with_channel_counts(
        Channel.objects.select_related("issuing_institution").order_by("-slots", "id")
    )
    return (
        with_pool_counts(QuotaPool.objects.filter(pk=pool_id))
        .select_related("agreement")
        .prefetch_related(
            Prefetch("channels", queryset=channels), "specialties", "eligible_institutions"
        )
        .get()
    )


class _WritableViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Any],
):
    permission_classes = [IsAuthenticated, ModelPermissionsOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]


class AgreementViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, _WritableViewSet):
    """Agreements the user's institutions are party to, coordinate, or hold pools under.

    Search the title and summary with ``q``.
    """

    serializer_class = s.AgreementSerializer
    filterset_class = AgreementFilter
    # The FilterSet's ``q`` searches, as on the agreements page.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["valid_from", "valid_until", "signed_on", "title"]

    def get_queryset(self) -> QuerySet[Agreement]:
        return agreement_list(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.agreement_create(
            actor=acting_user(request), data=dict(serializer.validated_data)
        )
        return Response(
            self.get_serializer(_agreement_as_written(agreement.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        agreement = self.get_object()
        serializer = self.get_serializer(agreement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.agreement_update(
            actor=acting_user(request),
            agreement_id=agreement.pk,
            data=dict(serializer.validated_data),
        )
        return Response(self.get_serializer(_agreement_as_written(agreement.pk)).data)


class QuotaPoolViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, _WritableViewSet):
    """Quota pools with their channels and slot counts.

    ``total_slots`` is changed through ``pool_set_total_slots``, which refuses a
    total below what the pool's channels already hold.
    """

    serializer_class = s.QuotaPoolSerializer
    filterset_class = QuotaPoolFilter
    search_fields = ["name", "code"]
    ordering_fields = ["period_start", "period_end", "code", "total_slots", "free_slots"]

    def get_queryset(self) -> QuerySet[QuotaPool]:
        return pool_list(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pool = services.pool_create(
            actor=acting_user(request), data=dict(serializer.validated_data)
        )
        return Response(
            self.get_serializer(_pool_as_written(pool.pk)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pool = self.get_object()
        serializer = self.get_serializer(pool, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        pool = services.pool_update(
            actor=acting_user(request), pool_id=pool.pk, data=dict(serializer.validated_data)
        )
        return Response(self.get_serializer(_pool_as_written(pool.pk)).data)


class ChannelViewSet(_WritableViewSet):
    """Channels of the pools the user may see, with their slots taken and free.

    Opening a channel and changing its slots go through the quota services; the
    pool's channels never add up to more than the pool.
    """

    serializer_class = s.ChannelSerializer
    filterset_class = ChannelFilter
    search_fields = ["issuing_institution__name", "pool__code"]
    ordering_fields = ["slots", "pool__code"]

    def get_queryset(self) -> QuerySet[Channel]:
        return channel_list(user=self.request.user)

    @extend_schema(request=s.ChannelOpenSerializer, responses={201: s.ChannelSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.ChannelOpenSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        channel = services.channel_open(actor=acting_user(request), **serializer.validated_data)
        return Response(
            s.ChannelSerializer(self.get_queryset().get(pk=channel.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.ChannelSlotsSerializer, responses=s.ChannelSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        channel = self.get_object()
        serializer = s.ChannelSlotsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.channel_set_slots(
            channel=channel, actor=acting_user(request), **serializer.validated_data
        )
        return Response(s.ChannelSerializer(self.get_queryset().get(pk=channel.pk)).data)


class ChannelTransferView(APIView):
    """Move unused slots of a channel to another channel of the same pool."""

    @extend_schema(
        parameters=[path_number("id", "The channel the slots leave.")],
        request=s.TransferSerializer,
        responses=s.TransferResultSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        source = get_object_or_404(channel_list(user=request.user), pk=pk)
        serializer = s.TransferSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        source, target = services.channel_transfer(
            source=source, actor=acting_user(request), **serializer.validated_data
        )
        return Response(
            s.TransferResultSerializer({"from_channel": source, "to_channel": target}).data
        )
