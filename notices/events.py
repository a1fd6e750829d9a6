"""Who is told what, for each event of the workflows.

Called by the services inside their transaction. Notices carry numbers, names
of institutions and dates, and a link; never a patient's name or diagnosis,
which stay behind the portal's login.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from quotas.choices import AllocationState
from quotas.models import Allocation, Channel, ChannelChange, QuotaPool
from referrals.choices import LIVE_REFERRAL_STATUSES, ReferralStatus
from referrals.models import Application, Referral, ReferralEvent

from . import recipients
from .choices import NoticeKind
from .services import notices_emit

REFERRAL_KINDS = {
    # to the sender side
    ReferralStatus.ACCEPTED: NoticeKind.REFERRAL_ACCEPTED,
    ReferralStatus.DECLINED: NoticeKind.REFERRAL_DECLINED,
    ReferralStatus.INFO_REQUESTED: NoticeKind.REFERRAL_INFO_REQUESTED,
    ReferralStatus.ADMITTED: NoticeKind.REFERRAL_ADMITTED,
    ReferralStatus.DISCHARGED: NoticeKind.REFERRAL_DISCHARGED,
    ReferralStatus.NO_SHOW: NoticeKind.REFERRAL_NO_SHOW,
}


def _application_link(application: Application) -> str:
    return reverse("application-detail", args=[application.pk])


def _referral_link(referral: Referral) -> str:
    return reverse("referral-detail", args=[referral.pk])


def application_slot_decided(
    application: Application, *, kind: str, event_id: int, actor: User | None
) -> None:
    """Allocated, waitlisted or promoted: the channel's and the sending ministry's officers."""
    notices_emit(
        kind=kind,
        event_key=f"application-event:{event_id}",
        recipient_ids=recipients.channel_officers(application.channel)
        | recipients.sending_ministry_officers(application.pool),
        obj=application,
        link=_application_link(application),
        context={
            "application": application,
            "channel": application.channel,
            "pool": application.pool,
            "allocation": next(iter(getattr(application, "live_allocations", []) or []), None),
        },
        exclude=actor,
    )


def referral_step(referral: Referral, *, event: ReferralEvent, actor: User | None) -> None:
    """A referral moved: the clinic hears of new and answered referrals and of
    cancellations; the sender side of everything the clinic does."""
    status = referral.status
    if status == ReferralStatus.SENT:
        answered = event.from_status == ReferralStatus.INFO_REQUESTED
        kind = NoticeKind.REFERRAL_ANSWERED if answered else NoticeKind.REFERRAL_RECEIVED
        to = recipients.clinic_coordinators(referral.receiving_institution_id)
    elif status == ReferralStatus.CANCELLED:
        kind = NoticeKind.REFERRAL_CANCELLED
        to = recipients.clinic_coordinators(referral.receiving_institution_id)
    elif status in REFERRAL_KINDS:
        kind = REFERRAL_KINDS[ReferralStatus(status)]
        to = recipients.referring_officers(referral)
    else:
        return
    notices_emit(
        kind=kind,
        event_key=f"referral-event:{event.pk}",
        recipient_ids=to,
        obj=referral,
        link=_referral_link(referral),
        context={"referral": referral},
        exclude=actor,
    )


def referrals_closed(referrals: Iterable[Referral], *, to_status: str, reason: str) -> None:
    """Referrals closed because their slot ended: the clinic, and the sender for a no-show."""
    for referral in referrals:
        referral.status = to_status
        clinic = recipients.clinic_coordinators(referral.receiving_institution_id)
        to = clinic | (
            recipients.referring_officers(referral)
            if to_status == ReferralStatus.NO_SHOW
            else set()
        )
        notices_emit(
            kind=REFERRAL_KINDS.get(ReferralStatus(to_status), NoticeKind.REFERRAL_CANCELLED),
            event_key=f"referral-closed:{referral.pk}:{to_status}:{reason}",
            recipient_ids=to,
            obj=referral,
            link=_referral_link(referral),
            context={"referral": referral},
        )


def allocations_expired(allocations: Iterable[Allocation], *, clinics: dict[int, int]) -> None:
    """Slots that expired: the channel's officers, and the clinic of an open referral."""
    for allocation in allocations:
        application = allocation.application
        to = recipients.channel_officers(allocation.channel)
        if allocation.pk in clinics:
            to |= recipients.clinic_coordinators(clinics[allocation.pk])
        notices_emit(
            kind=NoticeKind.ALLOCATION_EXPIRED,
            event_key=f"allocation-expired:{allocation.pk}",
            recipient_ids=to,
            obj=application,
            link=_application_link(application),
            context={"application": application, "allocation": allocation},
        )


def channel_transferred(change: ChannelChange, *, source: Channel, target: Channel) -> None:
    """Slots moved: the officers of both channels."""
    notices_emit(
        kind=NoticeKind.CHANNEL_TRANSFER,
        event_key=f"channel-transfer:{change.pk}",
        recipient_ids=recipients.channel_officers(source) | recipients.channel_officers(target),
        obj=source.pool,
        link=reverse("agreement-detail", args=[source.pool.agreement_id])
        + f"#pool-{source.pool_id}",
        context={
            "source": source,
            "target": target,
            "slots": change.slots_before - change.slots_after,
            "reason": change.reason,
            "pool": source.pool,
        },
        exclude=change.actor,
    )


def allocations_remind_expiring(
    *, now: datetime.datetime | None = None, batch_size: int = 500
) -> int:
    """Warn once, a configurable number of days ahead, of live slots about to expire."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.ALLOCATION_REMINDER_DAYS)
    with transaction.atomic():
        due = list(
            Allocation.objects.select_for_update(no_key=True, skip_locked=True, of=("self",))
            .filter(
                state__in=[AllocationState.HELD, AllocationState.CONFIRMED],
                held_until__gt=now,
                held_until__lte=horizon,
                reminder_sent_at__isnull=True,
            )
            .select_related("channel__issuing_institution", "channel__pool", "application")
            .order_by("pk")[:batch_size]
        )
        if not due:
            return 0
        Allocation.objects.filter(pk__in=[a.pk for a in due]).update(reminder_sent_at=now)
        open_referrals = dict(
            Referral.objects.filter(
                allocation__in=due, status__in=LIVE_REFERRAL_STATUSES
            ).values_list("allocation_id", "receiving_institution_id")
        )
        for allocation in due:
            application = allocation.application
            to = recipients.channel_officers(allocation.channel)
            if allocation.pk in open_referrals:
                to |= recipients.clinic_coordinators(open_referrals[allocation.pk])
            notices_emit(
                kind=NoticeKind.ALLOCATION_EXPIRING,
                event_key=f"allocation-expiring:{allocation.pk}:{allocation.held_until:%Y%m%d%H%M}",
                recipient_ids=to,
                obj=application,
                link=_application_link(application),
                context={"application": application, "allocation": allocation},
            )
        return len(due)


def pools_underused_check(*, today: datetime.date | None = None) -> int:
    """Pools near their end with free slots: every channel's officers, once per threshold."""
    today = today or timezone.localdate()
    thresholds = sorted(settings.POOL_UNDERUSE_DAYS)
    latest_end = today + datetime.timedelta(days=thresholds[-1])
    pools = (
        QuotaPool.objects.filter(period_end__gte=today, period_end__lte=latest_end)
        .annotate(used=Sum("channels__live_allocations"))
        .filter(Q(used__isnull=True) | Q(used__lt=F("total_slots")))
        .select_related("agreement")
    )
    notified = 0
    with transaction.atomic():
        for pool in pools:
            days_left = (pool.period_end - today).days
            threshold = next(t for t in thresholds if days_left <= t)
            channels = list(
                Channel.objects.filter(pool=pool)
                .select_related("issuing_institution")
                .annotate(free=F("slots") - F("live_allocations"))
                .order_by("-slots", "pk")
            )
            to: set[int] = set()
            for channel in channels:
                to |= recipients.channel_officers(channel)
            emitted = notices_emit(
                kind=NoticeKind.POOL_UNDERUSED,
                event_key=f"pool-underused:{pool.pk}:{threshold}",
                recipient_ids=to,
                obj=pool,
                link=reverse("agreement-detail", args=[pool.agreement_id]) + f"#pool-{pool.pk}",
                context={
                    "pool": pool,
                    "channels": channels,
                    "days_left": days_left,
                    "free": pool.total_slots - (pool.used or 0),
                },
            )
            notified += 1 if emitted else 0
    return notified
