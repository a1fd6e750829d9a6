from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.response import Response

from allocations import services as allocations
from allocations.api import serializers as s
from allocations.filters import AllocationFilter
from allocations.models import Allocation
from allocations.selectors import allocation_list
from allocations.workflow import ALLOCATION_WORKFLOW
from common.api.workflow import ActionEndpoint, workflow_actions

# The steps of ``ALLOCATION_WORKFLOW`` people take: an officer gives a slot back.
STEP_ENDPOINTS = {
    "release": ActionEndpoint(allocations.allocation_release, s.ReleaseSerializer),
}


@workflow_actions(ALLOCATION_WORKFLOW, STEP_ENDPOINTS, id_field="allocation_id")
class AllocationViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    serializer_class = s.AllocationSerializer
    answer_serializer = s.AllocationSerializer
    filterset_class = AllocationFilter
    search_fields: list[str] = []
    ordering_fields = ["held_until", "created_at"]

    def get_queryset(self) -> QuerySet[Allocation]:
        return allocation_list(user=self.request.user)

    def action_answer(self, allocation_id: int) -> Response:
        return Response(s.AllocationSerializer(self.get_queryset().get(pk=allocation_id)).data)
