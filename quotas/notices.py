from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notices.services import notices_emit
from quotas.models import Channel, ChannelChange, QuotaPool
from quotas.selectors import channel_officers


class QuotaNotice(models.TextChoices):
    """The notices of this app's events (registered with ``notices.kinds`` in ``apps.py``)."""

    POOL_UNDERUSED = "pool_underused", _("Pool ending with free slots")
    CHANNEL_TRANSFER = "channel_transfer", _("Slots moved between channels")


def channel_transferred(change: ChannelChange, *, source: Channel, target: Channel) -> None:
    """Slots moved: the officers of both channels."""
    notices_emit(
        kind=QuotaNotice.CHANNEL_TRANSFER,
        event_key=f"channel-transfer:{change.pk}",
        recipient_ids=channel_officers(source) | channel_officers(target),
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
                to |= channel_officers(channel)
            emitted = notices_emit(
                kind=QuotaNotice.POOL_UNDERUSED,
                event_key=f"pool-underused:{pool.pk}:{threshold}",
                recipient_ids=to,
                obj=pool,
                link=reverse("agreement-detail", args=[pool.agreement_id]) + f"#pool-{pool.pk}",
                context={
                    "pool": pool,
                    "channels": channels,
                    "days_left": days_left,
                    "free": pool.total_slots - (getattr(pool, "used", 0) or 0),
                },
            )
            notified += 1 if emitted else 0
    return notified
