"""Reads of slots, always scoped to the user (``allocations.access``)."""

from __future__ import annotations

from django.db.models import QuerySet

from allocations.models import Allocation
from common.types import AnyUser


def allocation_list(*, user: AnyUser) -> QuerySet[Allocation]:
    return Allocation.objects.restrict(user).select_related(
        "channel__issuing_institution", "channel__pool", "application__patient"
    )
