"""Reads of patients, applications and allocations, always scoped to the user.

An application is visible to members of its channel's issuing institution, to
officers of a ministry of the sending country party to the pool's agreement,
and to network coordinators of the body coordinating that agreement.
Administrators see everything. A patient is visible with their applications,
and to the institution that registered them.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Prefetch,
    QuerySet,
)

from applications.waitlist import urgency_rank
from common.access import RestrictedQuerySet
from common.types import AnyUser
from referrals import access
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralDocument, ReferralEvent


def referral_list(*, user: AnyUser) -> RestrictedQuerySet[Referral]:
    """Referrals the user may see.

    A clinic sees only those addressed to it; the referring side sees those of
    applications it may see, and those its institutions sent without a quota.
    """
    return Referral.objects.restrict(user).select_related(
        "patient", "specialty", "receiving_institution", "sender", "allocation"
    )


def referral_detail_queryset(*, user: AnyUser) -> QuerySet[Referral]:
    return referral_list(user=user).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("actor")),
        "shared_documents",
        Prefetch("documents", queryset=ReferralDocument.objects.select_related("uploaded_by")),
    )


# A clinic's calendar: patients it has accepted for a date, and those it has admitted.
ADMISSION_CALENDAR_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.ADMITTED)


def clinic_referral_list(*, user: AnyUser) -> QuerySet[Referral]:
    """Referrals addressed to the clinics the user coordinates.

    Narrower than ``referral_list``: not those the user's institutions sent or oversee.
    """
    return referral_list(user=user).restrict(user, access.CLINIC_WORKLIST)


def admission_calendar(
    *, user: AnyUser, first: datetime.date, last: datetime.date
) -> QuerySet[Referral]:
    """The user's clinics' accepted and admitted referrals with an admission date in the range.

    By admission date, then most urgent first.
    """
    return (
        clinic_referral_list(user=user)
        .filter(status__in=ADMISSION_CALENDAR_STATUSES, admission_date__range=(first, last))
        .annotate(urgency_rank=urgency_rank())
        .order_by("admission_date", "urgency_rank", "number")
    )


def open_question(referral: Referral) -> ReferralEvent | None:
    """The clinic's request still waiting for the referring side's answer: who, when, what.

    Read from the prefetched history of ``referral_detail_queryset``.
    """
    if referral.status != ReferralStatus.INFO_REQUESTED:
        return None
    asked = [e for e in referral.events.all() if e.to_state == ReferralStatus.INFO_REQUESTED]
    return asked[-1] if asked else None
