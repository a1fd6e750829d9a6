"""Taking and returning a channel's slots.

A slot is taken by one conditional UPDATE of the channel row
(``live_allocations < slots``), so two officers approving at the same moment
queue on that row and the second sees the first's slot gone. The check
constraint ``live_allocations <= slots`` backs this up in the database.

Locks are always taken in one order, so no two services can deadlock:
application -> allocation -> channel(s, by id) -> waitlisted application
(the last with SKIP LOCKED: a waitlisted application being withdrawn is passed over).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError, PermissionDeniedError
from notices import events as notice_events
from notices.choices import NoticeKind
from quotas.choices import (
    AllocationState,
    ChannelChangeKind,
    ReleaseReason,
)
from quotas.models import Allocation, AllocationEvent, Channel, ChannelChange

from ..choices import URGENCY_RANK, ApplicationStatus, ReferralStatus, Urgency
from ..models import Application, ApplicationEvent, Referral, ReferralEvent
from ..permissions import can_manage_channel

RELEASABLE_STATES = (AllocationState.HELD, AllocationState.CONFIRMED)


def _slot_take(channel_id: int) -> bool:
    """Take one slot of the channel if one is free; the row stays locked until commit."""
    taken = Channel.objects.filter(pk=channel_id, live_allocations__lt=F("slots")).update(
        live_allocations=F("live_allocations") + 1
    )
    if taken:
        return True
    # Full as far as this statement saw. Lock the row and look again, so that a
    # release committing right now either gives us its slot or, having waited for
    # us, finds this application on the waiting list and promotes it.
    channel = Channel.objects.select_for_update(no_key=True).get(pk=channel_id)
    if channel.live_allocations >= channel.slots:
        return False
    Channel.objects.filter(pk=channel_id).update(live_allocations=F("live_allocations") + 1)
    return True


def _slots_return(channel_id: int, count: int = 1) -> None:
    Channel.objects.filter(pk=channel_id).update(live_allocations=F("live_allocations") - count)


def _application_event(
    application: Application,
    *,
    to_status: str,
    actor: User | None,
    reason: str = "",
    comment: str = "",
    now: datetime.datetime | None = None,
    created: bool = False,
) -> ApplicationEvent:
    """Move the (locked) application and write its history row."""
    now = now or timezone.now()
    event = ApplicationEvent(
        application=application,
        from_status="" if created else application.status,
        to_status=to_status,
        reason=reason,
        comment=comment,
        actor=actor,
    )
    application.status = to_status
    application.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if to_status == ApplicationStatus.WAITLISTED:
        application.waitlisted_at = now
        fields.append("waitlisted_at")
    application.decision_reason = reason  # the latest step's reason, or none
    fields.append("decision_reason")
    application.save(update_fields=fields)
    event.save()
    return event


def allocation_hold(*, application: Application, actor: User | None) -> Allocation | None:
    """Hold a slot of the application's channel for it, or None if the channel is full.

    The caller holds the application's row lock and has checked its state.
    """
    if not _slot_take(application.channel_id):
        return None
    now = timezone.now()
    allocation = Allocation.objects.create(
        channel_id=application.channel_id,
        application=application,
        state=AllocationState.HELD,
        held_until=now + datetime.timedelta(days=application.pool.hold_days),
        state_changed_at=now,
    )
    AllocationEvent.objects.create(
        allocation=allocation, from_state="", to_state=AllocationState.HELD, actor=actor
    )
    return allocation


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
        allocation = allocation_hold(application=candidate, actor=None)
        if allocation is None:
            break
        candidate.live_allocations = [allocation]  # type: ignore[attr-defined]
        event = _application_event(
            candidate,
            to_status=ApplicationStatus.APPROVED,
            actor=None,
            reason="waitlist_promotion",
            comment=_("A slot of the channel became free."),
        )
        notice_events.application_slot_decided(
            candidate, kind=NoticeKind.SLOT_PROMOTED, event_id=event.pk, actor=None
        )
        promoted.append(candidate)
    return promoted


def _allocation_end(
    allocation: Allocation,
    *,
    to_state: str,
    actor: User | None,
    reason: str,
    comment: str,
    now: datetime.datetime,
) -> None:
    """Return a live allocation's slot. Caller holds the application and allocation locks."""
    AllocationEvent.objects.create(
        allocation=allocation,
        from_state=allocation.state,
        to_state=to_state,
        reason=reason,
        comment=comment,
        actor=actor,
    )
    allocation.state = to_state
    allocation.state_changed_at = now
    allocation.save(update_fields=["state", "state_changed_at"])
    _slots_return(allocation.channel_id)


@dataclass(frozen=True)
class ReleaseOutcome:
    allocation: Allocation
    promoted: list[Application]


def allocation_release_locked(
    *, application: Application, actor: User | None, reason: str, comment: str = ""
) -> ReleaseOutcome | None:
    """Release the locked application's live slot, if it has one, and promote the waitlist."""
    allocation = (
        Allocation.objects.select_for_update(no_key=True)
        .filter(application=application, state__in=RELEASABLE_STATES)
        .first()
    )
    if allocation is None:
        return None
    _allocation_end(
        allocation,
        to_state=AllocationState.RELEASED,
        actor=actor,
        reason=reason,
        comment=comment,
        now=timezone.now(),
    )
    return ReleaseOutcome(allocation, waitlist_promote(channel_id=allocation.channel_id))


@transaction.atomic
def allocation_release(
    *, allocation_id: int, actor: User, reason: str, comment: str = ""
) -> ReleaseOutcome:
    """An officer gives a held or confirmed slot back to the channel, with a reason."""
    if reason not in ReleaseReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if reason == ReleaseReason.OTHER and not comment.strip():
        raise ValidationError({"comment": _("Explain the reason in a comment.")})
    allocation = Allocation.objects.select_related("channel").get(pk=allocation_id)
    if not can_manage_channel(actor, allocation.channel):
        raise PermissionDeniedError(_("Only officers of the channel can release its slots."))
    application = (
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related("pool")
        .get(pk=allocation.application_id)
    )
    allocation = Allocation.objects.select_for_update(no_key=True).get(pk=allocation_id)
    if allocation.state not in RELEASABLE_STATES:
        raise DomainError(
            _("This allocation is %(state)s and cannot be released.")
            % {"state": allocation.get_state_display()},
            code="invalid_transition",
        )
    outcome = allocation_release_locked(
        application=application, actor=actor, reason=reason, comment=comment
    )
    assert outcome is not None  # the allocation is live and locked
    referrals_close_for_ended_slots(
        allocation_ids=[allocation.pk],
        accepted_to=ReferralStatus.CANCELLED,
        actor=actor,
        reason="slot_released",
        comment=comment,
    )
    if application.status == ApplicationStatus.APPROVED:
        _application_event(
            application,
            to_status=ApplicationStatus.LAPSED,
            actor=actor,
            reason=reason,
            comment=comment,
        )
    return outcome


def referrals_close_for_ended_slots(
    *,
    allocation_ids: list[int],
    accepted_to: str,
    actor: User | None,
    reason: str,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> None:
    """Close the live referrals whose slot just went back to its channel.

    A referral still waiting for the clinic is cancelled; an accepted one is
    cancelled, or a no-show when the slot expired without an admission. Without
    this a clinic could accept a referral whose slot someone else already holds.
    """
    now = now or timezone.now()
    closing = [
        (
            accepted_to,
            Referral.objects.filter(
                allocation_id__in=allocation_ids, status=ReferralStatus.ACCEPTED
            ),
        ),
        (
            ReferralStatus.CANCELLED,
            Referral.objects.filter(
                allocation_id__in=allocation_ids,
                status__in=[ReferralStatus.SENT, ReferralStatus.INFO_REQUESTED],
            ),
        ),
    ]
    for to_status, referrals in closing:
        rows = list(referrals.select_for_update(no_key=True).order_by("pk"))
        if not rows:
            continue
        Referral.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=to_status, status_changed_at=now
        )
        ReferralEvent.objects.bulk_create(
            ReferralEvent(
                referral=r,
                from_status=r.status,
                to_status=to_status,
                reason=reason,
                comment=comment,
                actor=actor,
            )
            for r in rows
        )
        notice_events.referrals_closed(rows, to_status=to_status, reason=reason)


def allocations_expire_due(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Expire held and confirmed slots past their deadline; return how many expired.

    Set-based: one statement per table, not one transaction per allocation.
    Applications locked by someone else right now are left for the next run,
    and a second run finds nothing left to do.
    """
    now = now or timezone.now()
    with transaction.atomic():
        application_ids = list(
            Application.objects.select_for_update(no_key=True, skip_locked=True, of=("self",))
            .filter(allocations__state__in=RELEASABLE_STATES, allocations__held_until__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not application_ids:
            return 0
        due = list(
            Allocation.objects.select_for_update(no_key=True)
            .filter(
                application_id__in=application_ids,
                state__in=RELEASABLE_STATES,
                held_until__lte=now,
            )
            .order_by("pk")
        )
        Allocation.objects.filter(pk__in=[a.pk for a in due]).update(
            state=AllocationState.EXPIRED, state_changed_at=now
        )
        AllocationEvent.objects.bulk_create(
            AllocationEvent(
                allocation=a,
                from_state=a.state,
                to_state=AllocationState.EXPIRED,
                reason="deadline",
            )
            for a in due
        )
        open_referrals = dict(
            Referral.objects.filter(
                allocation__in=due,
                status__in=[
                    ReferralStatus.SENT,
                    ReferralStatus.INFO_REQUESTED,
                    ReferralStatus.ACCEPTED,
                ],
            ).values_list("allocation_id", "receiving_institution_id")
        )
        per_channel = Counter(a.channel_id for a in due)
        for channel_id in sorted(per_channel):
            _slots_return(channel_id, per_channel[channel_id])
        lapsed = list(
            Application.objects.filter(
                pk__in=[a.application_id for a in due], status=ApplicationStatus.APPROVED
            )
        )
        Application.objects.filter(pk__in=[a.pk for a in lapsed]).update(
            status=ApplicationStatus.LAPSED, status_changed_at=now, decision_reason="deadline"
        )
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(
                application=a,
                from_status=a.status,
                to_status=ApplicationStatus.LAPSED,
                reason="deadline",
                comment=_("The slot was not used before its deadline."),
            )
            for a in lapsed
        )
        referrals_close_for_ended_slots(
            allocation_ids=[a.pk for a in due],
            accepted_to=ReferralStatus.NO_SHOW,
            actor=None,
            reason="slot_expired",
            comment=_("The slot expired before the patient was admitted."),
            now=now,
        )
        notice_events.allocations_expired(
            Allocation.objects.filter(pk__in=[a.pk for a in due]).select_related(
                "channel__issuing_institution", "application"
            ),
            clinics=open_referrals,
        )
        for channel_id in sorted(per_channel):
            waitlist_promote(channel_id=channel_id)
        return len(due)


@transaction.atomic
def channel_transfer(
    *, source: Channel, target: Channel, slots: int, actor: User, reason: str
) -> tuple[Channel, Channel]:
    """Move unused slots from one channel of a pool to another, on the record."""
    if not isinstance(slots, int) or isinstance(slots, bool) or slots < 1:
        raise ValidationError({"slots": _("Move at least one slot.")})
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another channel of the pool.")})
    if source.pool_id != target.pool_id:
        raise ValidationError({"target": _("Slots move only between channels of one pool.")})
    if not can_manage_channel(actor, source):
        raise PermissionDeniedError(_("Only officers of the channel can move its slots."))
    locked = {
        c.pk: c
        for c in Channel.objects.select_for_update(no_key=True)
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    unused = source.slots - source.live_allocations
    if slots > unused:
        raise DomainError(
            _("The channel has %(unused)d unused slots; %(slots)d cannot be moved.")
            % {"unused": unused, "slots": slots},
            code="slots_in_use",
        )
    changes = []
    for channel, kind, delta, other in (
        (source, ChannelChangeKind.TRANSFER_OUT, -slots, target),
        (target, ChannelChangeKind.TRANSFER_IN, slots, source),
    ):
        change = ChannelChange.objects.create(
            channel=channel,
            kind=kind,
            slots_before=channel.slots,
            slots_after=channel.slots + delta,
            counterpart=other,
            reason=reason,
            actor=actor,
        )
        changes.append(change)
        Channel.objects.filter(pk=channel.pk).update(slots=F("slots") + delta)
    notice_events.channel_transferred(changes[0], source=source, target=target)
    waitlist_promote(channel_id=target.pk)
    source.refresh_from_db()
    target.refresh_from_db()
    return source, target
