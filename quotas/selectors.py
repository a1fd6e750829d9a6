"""Reads of agreements, pools and channels, always scoped to what the user may see.

A pool is visible to members of the institutions party to its agreement, of its
eligible host institutions and of its channels' issuing institutions, and to the
network coordinators of the body that coordinates its agreement. Administrators
see everything.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from common.types import AnyUser
from institutions.models import Institution
from institutions.selectors import (
    OFFICER_ROLES,
    member_ids,
    network_institution_ids,
    user_sees_everything,
)
from quotas.access import sending_ministry_ids
from quotas.models import Agreement, Channel, QuotaPool


def with_channel_counts(channels: QuerySet[Channel]) -> QuerySet[Channel]:
    """Slots taken (live allocations: held, confirmed, used) and free, per channel.

    Read from the counter the allocation services keep in step with the
    allocations table; the database forbids it to exceed the channel's slots.
    """
    return channels.annotate(used_slots=F("live_allocations")).annotate(
        free_slots=F("slots") - F("live_allocations")
    )


def with_pool_counts(pools: QuerySet[QuotaPool]) -> QuerySet[QuotaPool]:
    channel_totals = Channel.objects.filter(pool=OuterRef("pk")).order_by().values("pool")
    allotted = channel_totals.annotate(total=Sum("slots")).values("total")
    used = channel_totals.annotate(total=Sum("live_allocations")).values("total")
    return pools.annotate(
        allotted_slots=Coalesce(Subquery(allotted, output_field=IntegerField()), 0),
        used_slots=Coalesce(Subquery(used, output_field=IntegerField()), 0),
    ).annotate(free_slots=F("total_slots") - F("used_slots"))


def pool_list(*, user: AnyUser) -> QuerySet[QuotaPool]:
    pools = QuotaPool.objects.restrict(user)
    channels = with_channel_counts(
        Channel.objects.select_related("issuing_institution").order_by("-slots", "id")
    )
    return (
        with_pool_counts(pools)
        .select_related("agreement")
        .prefetch_related(
            Prefetch("channels", queryset=channels), "specialties", "eligible_institutions"
        )
        .order_by("-period_start", "code")
    )


def channel_list(*, user: AnyUser) -> QuerySet[Channel]:
    channels = Channel.objects.restrict(user)
    return with_channel_counts(
        channels.select_related("pool", "issuing_institution").order_by("pool_id", "-slots", "id")
    )


def agreement_list(*, user: AnyUser) -> QuerySet[Agreement]:
    agreements = Agreement.objects.restrict(user)
    return (
        agreements.select_related("coordinator")
        .prefetch_related("party_institutions")
        .annotate(pool_count=Count("pools", distinct=True))
        .order_by("-valid_from", "title")
    )


def agreement_pools(*, agreement: Agreement, user: AnyUser) -> QuerySet[QuotaPool]:
    return pool_list(user=user).filter(agreement=agreement)


def network_coordinators(*, user: AnyUser) -> QuerySet[Institution]:
    """The coordinating bodies whose network the user looks after."""
    if user_sees_everything(user):
        bodies = Institution.objects.filter(
            pk__in=Agreement.objects.filter(coordinator__isnull=False).values("coordinator")
        )
    else:
        bodies = Institution.objects.filter(pk__in=network_institution_ids(user))
    return bodies.order_by("name")


def network_pools(*, coordinators: QuerySet[Institution]) -> QuerySet[QuotaPool]:
    """Every pool of the agreements the bodies coordinate, with its slot use."""
    return (
        with_pool_counts(QuotaPool.objects.filter(agreement__coordinator__in=coordinators))
        .select_related("agreement")
        .order_by("-period_end", "code")
    )


def network_members(*, coordinators: QuerySet[Institution]) -> QuerySet[Institution]:
    """The institutions in the network: parties, hosts and channel issuers of its agreements."""
    agreements = Agreement.objects.filter(coordinator__in=coordinators)
    pools = QuotaPool.objects.filter(agreement__in=agreements)
    return (
        Institution.objects.filter(
            Q(pk__in=agreements.values("party_institutions"))
            | Q(pk__in=pools.values("eligible_institutions"))
            | Q(pk__in=Channel.objects.filter(pool__in=pools).values("issuing_institution"))
        )
        .exclude(pk__in=coordinators.values("pk"))
        .order_by("country", "name")
    )


def channel_officers(channel: Channel) -> set[int]:
    return member_ids([channel.issuing_institution_id], OFFICER_ROLES)


def sending_ministry_officers(pool: QuotaPool) -> set[int]:
    return member_ids(sending_ministry_ids(pool), OFFICER_ROLES)
