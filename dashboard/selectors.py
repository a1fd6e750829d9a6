"""The figures of the pool dashboard: where every slot stands, and whether it will be used.

A fixed number of queries for any number of pools and channels: the pools with
their channels, one grouped count of allocations by state, one of the waiting
lists, two of slot movements by day for the chart, the deadlines list and the
open questions waiting for the user's answer.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from allocations.choices import LIVE_ALLOCATION_STATES, AllocationState
from allocations.models import Allocation
from allocations.selectors import allocation_list
from applications.choices import ApplicationStatus
from applications.models import Application, ApplicationEvent
from applications.waitlist import urgency_rank
from common.types import AnyUser
from institutions.selectors import officer_institution_ids
from quotas import access as quota_access
from quotas.models import Channel, QuotaPool
from quotas.selectors import pool_list
from referrals.choices import ReferralStatus
from referrals.filters import ReferralFilter
from referrals.models import Referral, ReferralEvent
from referrals.selectors import admission_calendar, clinic_referral_list, referral_list

# Too early in a pool's period, its pace says nothing yet about its end.
PROJECTION_MIN_DAYS = 14

CLINIC_WORKLIST_NAMES = ("incoming", "awaiting_admission", "admitted")
# The main page shows the first rows of each list; the worklists have them all.
CLINIC_HOME_ROWS = 10

# The chart's drawing area, in SVG user units; the page scales it to its width.
CHART_WIDTH = 600
CHART_HEIGHT = 160


@dataclass
class ChannelFigures:
    channel: Channel
    held: int = 0
    confirmed: int = 0
    used: int = 0
    waitlisted: int = 0

    @property
    def total(self) -> int:
        return self.channel.slots

    @property
    def free(self) -> int:
        return self.channel.slots - self.channel.live_allocations


@dataclass
class PoolChart:
    """Slots taken per day over the pool's period, against the even pace to use them all."""

    points: str  # SVG polyline of slots taken, day by day up to today
    pace: tuple[float, float, float, float]  # line from the period's start to its end
    today_x: float | None
    max_slots: int
    taken_now: int
    pace_now: int


@dataclass
class PoolDashboard:
    pool: QuotaPool
    channels: list[ChannelFigures]
    chart: PoolChart
    projected_free: int | None = None
    ends_with_free: bool = False
    # Channels whose free slots the user may move to another channel that could use
    # them: offered only where the forecast says the pool ends with free slots.
    transfer_from: list[Channel] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return sum(c.channel.live_allocations for c in self.channels)

    @property
    def free(self) -> int:
        return self.pool.total_slots - self.taken

    @property
    def unallotted(self) -> int:
        """Slots of the pool not yet given to any channel."""
        return self.pool.total_slots - sum(c.channel.slots for c in self.channels)

    def column(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.channels)

    @property
    def totals(self) -> dict[str, int]:
        names = ("total", "held", "confirmed", "used", "free", "waitlisted")
        return {name: self.column(name) for name in names}


def dashboard_pools(*, user: AnyUser, today: datetime.date | None = None) -> list[PoolDashboard]:
    """The user's pools still running or yet to start, soonest to end first."""
    today = today or timezone.localdate()
    pools = list(pool_list(user=user).filter(period_end__gte=today).order_by("period_end", "code"))
    if not pools:
        return []
    pool_ids = [p.pk for p in pools]
    by_state: dict[tuple[int, str], int] = {
        (row["channel_id"], row["state"]): row["n"]
        for row in Allocation.objects.filter(
            channel__pool_id__in=pool_ids, state__in=LIVE_ALLOCATION_STATES
        )
        .values("channel_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    }
    waitlisted = _waitlisted_by_channel(pool_ids)
    history = _taken_by_day(pool_ids)
    dashboards = []
    for pool in pools:
        channels = [
            ChannelFigures(
                channel=channel,
                held=by_state.get((channel.pk, AllocationState.HELD), 0),
                confirmed=by_state.get((channel.pk, AllocationState.CONFIRMED), 0),
                used=by_state.get((channel.pk, AllocationState.USED), 0),
                waitlisted=waitlisted.get(channel.pk, 0),
            )
            for channel in pool.channels.all()
        ]
        taken = sum(c.channel.live_allocations for c in channels)
        dashboard = PoolDashboard(
            pool=pool,
            channels=channels,
            chart=_chart(pool, history.get(pool.pk, {}), taken=taken, today=today),
        )
        _project(dashboard, today=today)
        dashboard.transfer_from = _transfer_sources(dashboard, user=user)
        dashboards.append(dashboard)
    return dashboards


def _transfer_sources(dashboard: PoolDashboard, *, user: AnyUser) -> list[Channel]:
    """The channels the user manages whose free slots another channel of the pool could use.

    Only when the forecast says the pool ends with free slots. A channel could use
    more slots when applications wait on its list or it has none free.
    """
    if not dashboard.ends_with_free:
        return []
    sources = []
    for figures in dashboard.channels:
        if figures.free <= 0 or not quota_access.can(user, quota_access.MANAGE, figures.channel):
            continue
        if any(
            other.waitlisted > 0 or other.free <= 0
            for other in dashboard.channels
            if other.channel.pk != figures.channel.pk
        ):
            sources.append(figures.channel)
    return sources


def _waitlisted_by_channel(pool_ids: list[int]) -> dict[int, int]:
    return dict(
        Application.objects.filter(pool_id__in=pool_ids, status=ApplicationStatus.WAITLISTED)
        .values("channel_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("channel_id", "n")
    )


def _taken_by_day(pool_ids: list[int]) -> dict[int, dict[datetime.date, int]]:
    """Per pool, the change in slots taken on each day.

    A slot is taken when its allocation is made and given back when the
    allocation is released or expires; used slots stay taken.
    """
    change: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    allocations = Allocation.objects.filter(channel__pool_id__in=pool_ids).order_by()
    for row in (
        allocations.values("channel__pool_id", day=TruncDate("created_at"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        change[row["channel__pool_id"]][row["day"]] += row["n"]
    for row in (
        allocations.filter(state__in=[AllocationState.RELEASED, AllocationState.EXPIRED])
        .values("channel__pool_id", day=TruncDate("state_changed_at"))
        .annotate(n=Count("id"))
        .order_by()
    ):
        change[row["channel__pool_id"]][row["day"]] -= row["n"]
    return change


def _chart(
    pool: QuotaPool, change: dict[datetime.date, int], *, taken: int, today: datetime.date
) -> PoolChart:
    start, end = pool.period_start, pool.period_end
    days = max((end - start).days, 1)
    max_slots = max(pool.total_slots, taken, 1)

    def x(day: datetime.date) -> float:
        return round(CHART_WIDTH * min(max((day - start).days, 0), days) / days, 1)

    def y(slots: int) -> float:
        return round(CHART_HEIGHT * (1 - slots / max_slots), 1)

    # Slots taken before the period began (allocations made in advance) start the line.
    level = sum(n for day, n in change.items() if day < start)
    points = [f"{x(start)},{y(level)}"]
    for day in sorted(d for d in change if start <= d <= min(today, end)):
        points.append(f"{x(day)},{y(level)}")  # a step: flat until the day it moved
        level += change[day]
        points.append(f"{x(day)},{y(level)}")
    if start <= today:
        points.append(f"{x(min(today, end))},{y(level)}")
    elapsed = min(max((today - start).days, 0), days)
    return PoolChart(
        points=" ".join(points),
        pace=(0.0, float(CHART_HEIGHT), float(CHART_WIDTH), y(pool.total_slots)),
        today_x=x(today) if start <= today <= end else None,
        max_slots=max_slots,
        taken_now=taken,
        pace_now=round(pool.total_slots * elapsed / days),
    )


def _project(dashboard: PoolDashboard, *, today: datetime.date) -> None:
    """Estimate the slots left free at the period's end if the pace so far holds."""
    pool = dashboard.pool
    elapsed = (today - pool.period_start).days
    left = (pool.period_end - today).days
    free = dashboard.free
    if free <= 0:
        return
    if elapsed >= PROJECTION_MIN_DAYS:
        rate = dashboard.taken / elapsed
        dashboard.projected_free = max(free - round(rate * left), 0)
        dashboard.ends_with_free = dashboard.projected_free > 0
    else:
        # No pace to go by yet; close to the end every free slot is at risk
        # (the underuse notices warn from the same horizon).
        dashboard.ends_with_free = left <= max(settings.POOL_UNDERUSE_DAYS, default=0)


def deadline_allocations(
    *, user: AnyUser, pools: list[QuotaPool], now: datetime.datetime | None = None
) -> QuerySet[Allocation]:
    """Held or confirmed slots whose deadline falls within the reminder horizon."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.ALLOCATION_REMINDER_DAYS)
    return (
        allocation_list(user=user)
        .filter(
            channel__pool__in=pools,
            state__in=[AllocationState.HELD, AllocationState.CONFIRMED],
            held_until__lte=horizon,
        )
        .select_related("application__specialty")
        .order_by("held_until", "pk")
    )


def dashboard_context(*, user: AnyUser) -> dict[str, Any]:
    pools = dashboard_pools(user=user)
    return {
        "dashboards": pools,
        "deadlines": list(deadline_allocations(user=user, pools=[d.pool for d in pools])[:50]),
        "reminder_days": settings.ALLOCATION_REMINDER_DAYS,
        **open_questions(user=user),
    }


# The main page lists the oldest open questions first; the lists have them all.
OPEN_QUESTION_ROWS = 20


def _question(events: QuerySet[Any], state: str, **link: Any) -> dict[str, Any]:
    asked = events.filter(to_state=state, **link).order_by("-created_at", "-pk")
    return {
        "question": Subquery(asked.values("comment")[:1]),
        "asked_at": Subquery(asked.values("created_at")[:1]),
    }


def open_questions(*, user: AnyUser) -> dict[str, list[Any]]:
    """Questions waiting for the user's side to answer, oldest first, each with its text.

    A reviewer's request for information on an application the user sends on
    (on a channel the user reviews, only one the user created), and a clinic's on
    a referral the user's side sent. In two queries.
    """
    sending = Channel.objects.restrict(user, quota_access.SEND)
    reviewing = Channel.objects.restrict(user, quota_access.REVIEW)
    applications = (
        Application.objects.restrict(user)
        .filter(status=ApplicationStatus.NEEDS_INFO, channel__in=sending)
        # Reviewers asked the question: on their own channels they answer only
        # what they applied for themselves.
        .filter(~Q(channel__in=reviewing) | Q(created_by=user.pk))
        .select_related("patient", "channel__issuing_institution")
        .annotate(
            **_question(
                ApplicationEvent.objects.all(),
                ApplicationStatus.NEEDS_INFO,
                application=OuterRef("pk"),
            )
        )
        .order_by("status_changed_at", "pk")
    )
    referrals = (
        referral_list(user=user)
        .filter(status=ReferralStatus.INFO_REQUESTED)
        .filter(
            Q(application__channel__in=sending)
            | Q(application__isnull=True, sender__in=officer_institution_ids(user))
        )
        .annotate(
            **_question(
                ReferralEvent.objects.all(), ReferralStatus.INFO_REQUESTED, referral=OuterRef("pk")
            )
        )
        .order_by("status_changed_at", "pk")
    )
    return {
        "application_questions": list(applications[:OPEN_QUESTION_ROWS]),
        "referral_questions": list(referrals[:OPEN_QUESTION_ROWS]),
    }


def clinic_worklist_counts(*, user: AnyUser) -> dict[str, int]:
    """How many referrals wait in each of the clinic's worklists, in one query."""
    counts = clinic_referral_list(user=user).aggregate(
        **{
            name: Count("id", filter=Q(status__in=statuses))
            for name, statuses in ReferralFilter.WORKLISTS.items()
            if name in CLINIC_WORKLIST_NAMES
        }
    )
    return {name: counts[name] or 0 for name in CLINIC_WORKLIST_NAMES}


def clinic_next_steps(
    *, user: AnyUser, today: datetime.date | None = None
) -> dict[str, list[Referral]]:
    """What a clinic acts on first: new referrals, most urgent and oldest first, and
    the patients due to arrive in the coming week."""
    today = today or timezone.localdate()
    incoming = (
        clinic_referral_list(user=user)
        .filter(status__in=ReferralFilter.WORKLISTS["incoming"])
        .annotate(urgency_rank=urgency_rank())
        .order_by("urgency_rank", "created_at", "pk")
    )
    arriving = admission_calendar(
        user=user, first=today, last=today + datetime.timedelta(days=6)
    ).filter(status=ReferralStatus.ACCEPTED)
    return {
        "incoming": list(incoming[:CLINIC_HOME_ROWS]),
        "arriving": list(arriving[:CLINIC_HOME_ROWS]),
    }
