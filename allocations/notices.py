"""The notices about slots: who is told, and what, when a deadline nears or passes.

Recipients are the channel's officers and whoever the apps above add through
``allocations.signals.allocation_watchers`` (the clinic of an open referral).
Notices carry numbers and dates, never a patient's name or diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from allocations.models import Allocation
from allocations.signals import allocation_watchers
from notices.services import notices_emit
from quotas.selectors import channel_officers


class AllocationNotice(models.TextChoices):
    """The notices of this app's events (registered with ``notices.kinds`` in ``apps.py``)."""

    ALLOCATION_EXPIRING = "allocation_expiring", _("Slot about to expire")
    ALLOCATION_EXPIRED = "allocation_expired", _("Slot expired")


def allocation_watchers_of(allocations: Sequence[Allocation]) -> dict[int, set[int]]:
    """User ids to tell about each allocation, beyond its channel's officers."""
    watchers: dict[int, set[int]] = {}
    for _receiver, answer in allocation_watchers.send(sender=Allocation, allocations=allocations):
        for allocation_id, user_ids in cast(dict[int, set[int]], answer).items():
            watchers.setdefault(allocation_id, set()).update(user_ids)
    return watchers


def _emit(
    allocation: Allocation, *, kind: str, event_key: str, watchers: dict[int, set[int]]
) -> None:
    application = allocation.application
    notices_emit(
        kind=kind,
        event_key=event_key,
        recipient_ids=channel_officers(allocation.channel) | watchers.get(allocation.pk, set()),
        obj=application,
        link=reverse("application-detail", args=[allocation.application_id]),
        context={"application": application, "allocation": allocation},
    )


def allocations_expired(
    allocations: Iterable[Allocation], *, watchers: dict[int, set[int]]
) -> None:
    """Slots that expired: the channel's officers, and the clinic of an open referral."""
    for allocation in allocations:
        _emit(
            allocation,
            kind=AllocationNotice.ALLOCATION_EXPIRED,
            event_key=f"allocation-expired:{allocation.pk}",
            watchers=watchers,
        )


def allocations_expiring(allocations: Sequence[Allocation]) -> None:
    """Slots whose deadline is near: the same people, once per deadline."""
    watchers = allocation_watchers_of(allocations)
    for allocation in allocations:
        _emit(
            allocation,
            kind=AllocationNotice.ALLOCATION_EXPIRING,
            event_key=f"allocation-expiring:{allocation.pk}:{allocation.held_until:%Y%m%d%H%M}",
            watchers=watchers,
        )
