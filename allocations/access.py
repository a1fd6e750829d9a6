"""Who may see slots, and give one back.

A slot is visible with its channel's cases (``quotas.access.case_visibility``);
the channel's managers (its officers, and administrators) give it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from common.access import NOTHING, VIEW, RestrictedQuerySet
from common.types import AnyUser
from institutions.selectors import officer_institution_ids
from quotas import access as quota_access

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from allocations.models import Allocation

RELEASE = "release"


class AllocationQuerySet(RestrictedQuerySet["Allocation"]):
    def permitted(self, user: User, action: str) -> Q | None:
        if action == VIEW:
            if user.is_superuser:
                return None
            return quota_access.case_visibility(user, channel="channel", pool="channel__pool")
        if action == RELEASE:
            return (
                None
                if user.is_superuser
                else Q(channel__issuing_institution__in=officer_institution_ids(user))
            )
        return NOTHING


def can(user: AnyUser, action: str, allocation: Allocation) -> bool:
    if action == RELEASE:
        return quota_access.can(user, quota_access.MANAGE, allocation.channel)
    return False
