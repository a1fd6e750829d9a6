"""Who is told: members of the institutions concerned, by role."""

from __future__ import annotations

from collections.abc import Iterable

from institutions.choices import MembershipRole
from institutions.models import Membership
from quotas.models import Channel, QuotaPool
from referrals.models import Referral
from referrals.permissions import OFFICER_ROLES, sending_ministry_ids


def _members(institution_ids: Iterable[int], roles: Iterable[str]) -> set[int]:
    return set(
        Membership.objects.filter(
            institution_id__in=list(institution_ids), role__in=list(roles), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def channel_officers(channel: Channel) -> set[int]:
    return _members([channel.issuing_institution_id], OFFICER_ROLES)


def sending_ministry_officers(pool: QuotaPool) -> set[int]:
    return _members(sending_ministry_ids(pool), OFFICER_ROLES)


def clinic_coordinators(institution_id: int) -> set[int]:
    return _members([institution_id], [MembershipRole.CLINIC_COORDINATOR])


def referring_officers(referral: Referral) -> set[int]:
    """The sender side of a referral: the application's channel and sending ministry."""
    if referral.application_id is None:
        return _members([referral.sender_id], OFFICER_ROLES)
    application = referral.application
    assert application is not None
    return channel_officers(application.channel) | sending_ministry_officers(application.pool)
