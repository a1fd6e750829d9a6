"""Who may act on applications, by institution membership and role.

- *Senders* create, submit, answer and withdraw: officers of the channel's
  issuing institution, or of a ministry (or regional health authority) of the
  sending country that is party to the pool's agreement.
- *Reviewers* take into review, request information, approve and reject:
  officers of the channel's issuing institution only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from institutions.choices import SENDING_KINDS, MembershipRole
from institutions.models import Institution
from institutions.selectors import user_institution_ids
from quotas.models import Channel, QuotaPool

OFFICER_ROLES = (MembershipRole.MINISTRY_OFFICER, MembershipRole.EMBASSY_OFFICER)

AnyUser = User | AnonymousUser


def officer_institution_ids(user: AnyUser) -> frozenset[int]:
    return user_institution_ids(user, roles=OFFICER_ROLES)


def sending_ministry_ids(pool: QuotaPool) -> set[int]:
    """Party institutions of the pool's agreement that send patients from its country."""
    return set(
        Institution.objects.filter(
            agreements=pool.agreement_id,
            kind__in=SENDING_KINDS,
            country=pool.sending_country,
        ).values_list("pk", flat=True)
    )


def can_send_on_channel(user: AnyUser, channel: Channel) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    mine = officer_institution_ids(user)
    if channel.issuing_institution_id in mine:
        return True
    return bool(mine & sending_ministry_ids(channel.pool))


def can_review_on_channel(user: AnyUser, channel: Channel) -> bool:
    if not user.is_authenticated:
        return False
    return channel.issuing_institution_id in officer_institution_ids(user)


def can_manage_channel(user: AnyUser, channel: Channel) -> bool:
    """Release its allocations, move its unused slots."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or channel.issuing_institution_id in officer_institution_ids(user)


def can_act_for_clinic(user: AnyUser, institution_id: int) -> bool:
    """Clinic coordinators of the receiving institution answer its referrals."""
    if not user.is_authenticated:
        return False
    return institution_id in user_institution_ids(user, roles=[MembershipRole.CLINIC_COORDINATOR])


def can_send_referral(user: AnyUser, referral: Any) -> bool:
    """The referring side: senders of the application, or officers of the sending institution."""
    if not user.is_authenticated:
        return False
    if referral.application_id is not None:
        return can_send_on_channel(user, referral.application.channel)
    return user.is_superuser or referral.sender_id in officer_institution_ids(user)
