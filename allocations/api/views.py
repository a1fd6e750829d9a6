from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from allocations import services as allocations
from allocations.api import serializers as s
from allocations.filters import AllocationFilter
from allocations.selectors import allocation_list
from common.api.permissions import acting_user


class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AllocationSerializer
    filterset_class = AllocationFilter
    search_fields: list[str] = []
    ordering_fields = ["held_until", "created_at"]

    def get_queryset(self) -> Any:
        return allocation_list(user=self.request.user)

    @extend_schema(request=s.ReleaseSerializer, responses=s.AllocationSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        allocation = self.get_object()
        serializer = s.ReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocations.allocation_release(
            allocation_id=allocation.pk, actor=acting_user(request), **serializer.validated_data
        )
        return Response(s.AllocationSerializer(self.get_queryset().get(pk=allocation.pk)).data)
