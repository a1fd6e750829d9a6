"""A channel's waiting list: approved applications for which no slot was free.

Served most urgent first, then longest waiting, whenever the channel has free
slots (``quotas.signals.channel_slots_freed``, received in ``receivers``).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from allocations.services import allocation_hold
from applications.choices import URGENCY_RANK, ApplicationStatus, Urgency
from applications.models import Application
from applications.workflow import APPLICATION_WORKFLOW


def urgency_rank() -> Case:
    """``URGENCY_RANK`` in SQL, for a model with an ``urgency`` field: 0 for an emergency."""
    return Case(
        *(When(urgency=urgency, then=Value(value)) for urgency, value in URGENCY_RANK.items()),
        output_field=IntegerField(),
    )


# The order a channel's waiting list is served in, over ``urgency_rank`` annotated as above.
# Pages that number the list (the review queue) count positions in this same order.
WAITLIST_ORDER = ("urgency_rank", "waitlisted_at", "pk")


def waitlist_ordered(channel_id: int) -> QuerySet[Application]:
    """The channel's waiting list: most urgent first, then longest waiting."""
    return (
        Application.objects.filter(channel_id=channel_id, status=ApplicationStatus.WAITLISTED)
        .annotate(urgency_rank=urgency_rank())
        .order_by(*WAITLIST_ORDER)
    )


def waitlist_position(application: Application) -> int | None:
    """1 for the head of the channel's waiting list; None when not waiting."""
    if application.status != ApplicationStatus.WAITLISTED or application.waitlisted_at is None:
        return None
    rank = URGENCY_RANK[Urgency(application.urgency)]
    ahead = (
        waitlist_ordered(application.channel_id)
        .filter(
            Q(urgency_rank__lt=rank)
            | Q(urgency_rank=rank, waitlisted_at__lt=application.waitlisted_at)
            | Q(urgency_rank=rank, waitlisted_at=application.waitlisted_at, pk__lt=application.pk)
        )
        .count()
    )
    return ahead + 1


def waitlist_promote(*, channel_id: int) -> list[Application]:
    """Give the channel's free slots to the head of its waiting list, on the record."""
    promoted: list[Application] = []
    while True:
        candidate = (
            waitlist_ordered(channel_id)
            .select_related("pool", "channel__issuing_institution")
            .select_for_update(no_key=True, skip_locked=True, of=("self",))
            .first()
        )
        if candidate is None:
            break
        allocation = allocation_hold(
            channel_id=channel_id,
            application_id=candidate.pk,
            hold_days=candidate.pool.hold_days,
            actor=None,
        )
        if allocation is None:
            break
        candidate.live_allocations = [allocation]  # type: ignore[attr-defined]
        APPLICATION_WORKFLOW.move(
            candidate,
            action="promote",
            actor=None,
            reason="waitlist_promotion",
            comment=_("A slot of the channel became free."),
        )
        promoted.append(candidate)
    return promoted
