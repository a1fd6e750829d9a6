"""Taking and returning a channel's slots.

A slot is taken by one conditional UPDATE of the channel row
(``live_allocations < slots``), so two officers approving at the same moment
queue on that row and the second sees the first's slot gone. The check
constraint ``live_allocations <= slots`` backs this up in the database.

Locks are always taken in one order, so no two services can deadlock:
application -> referral -> allocation -> channel(s, by id) -> waitlisted application
(the last with SKIP LOCKED: a waitlisted application being withdrawn is passed over).
This app sits below applications and may not import them: it reaches an
allocation's application only through its own foreign key, to lock that row first.

What was held on a slot that ends (an approved application, a referral) is
ended by the apps above, on ``allocations.signals.allocations_ended``; free slots
go to the waiting list on ``quotas.signals.channel_slots_freed``.

No slot is held past its pool's last admission day (the period's end plus the
admission grace): a deadline beyond it is cut back to the end of that day.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from allocations import notices
from allocations.access import can
from allocations.choices import AllocationState, ReleaseReason
from allocations.models import Allocation
from allocations.signals import allocations_ended
from allocations.workflow import ALLOCATION_WORKFLOW, RELEASABLE_STATES
from common.exceptions import DomainError, PermissionDeniedError
from common.models import COMMENT_MAX_LENGTH
from quotas.models import Channel, QuotaPool
from quotas.signals import channel_slots_freed


def pool_last_admission_day(pool: QuotaPool) -> datetime.date:
    """The last day a patient may be admitted on the pool's slots: period end plus grace."""
    try:
        return pool.period_end + datetime.timedelta(days=pool.admission_grace_days)
    except OverflowError:  # a period ending near the calendar's end
        return datetime.date.max


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _held_until_capped(channel_id: int, held_until: datetime.datetime) -> datetime.datetime:
    """``held_until``, or the end of the pool's last admission day if that comes first."""
    pool = QuotaPool.objects.only("period_end", "admission_grace_days").get(channels=channel_id)
    last_day = pool_last_admission_day(pool)
    if last_day >= datetime.date.max - datetime.timedelta(days=1):
        return held_until
    return min(held_until, end_of_day(last_day))


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


def _slots_return(per_channel: Counter[int]) -> None:
    for channel_id in sorted(per_channel):  # channel rows in id order: the lock order
        Channel.objects.filter(pk=channel_id).update(
            live_allocations=F("live_allocations") - per_channel[channel_id]
        )


def _slots_offer(channel_ids: Sequence[int]) -> None:
    """Tell the waiting lists of these channels that slots are free."""
    for channel_id in sorted(set(channel_ids)):
        channel_slots_freed.send(sender=Channel, channel_id=channel_id)


def allocation_hold(
    *, channel_id: int, application_id: int, hold_days: int, actor: User | None
) -> Allocation | None:
    """Hold a slot of the channel for the application, or None if the channel is full.

    The caller holds the application's row lock and has checked its state.
    """
    if not _slot_take(channel_id):
        return None
    now = timezone.now()
    allocation = Allocation(
        channel_id=channel_id,
        application_id=application_id,
        held_until=_held_until_capped(channel_id, now + datetime.timedelta(days=hold_days)),
    )
    ALLOCATION_WORKFLOW.move(allocation, action="hold", actor=actor, now=now)
    return allocation


def _lock(allocation_id: int) -> Allocation:
    return Allocation.objects.select_for_update(no_key=True).get(pk=allocation_id)


def _refuse_unless(allocation: Allocation, *, expected: str, to: str) -> None:
    overdue = expected == AllocationState.HELD and allocation.held_until <= timezone.now()
    if allocation.state != expected or overdue:
        # The slot went back to the channel meanwhile; it cannot be taken up again here.
        raise DomainError(
            _("The referral's slot is %(state)s; it can no longer be %(action)s.")
            % {"state": allocation.get_state_display(), "action": AllocationState(to).label},
            code="slot_not_held",
        )


def allocation_confirm(
    *, allocation_id: int, actor: User, held_until: datetime.datetime
) -> Allocation:
    """A clinic accepted the patient: the slot is held until the admission date (and grace)."""
    allocation = _lock(allocation_id)
    _refuse_unless(allocation, expected=AllocationState.HELD, to=AllocationState.CONFIRMED)
    allocation.held_until = _held_until_capped(allocation.channel_id, held_until)
    allocation.reminder_sent_at = None  # a new deadline earns a new reminder
    ALLOCATION_WORKFLOW.move(
        allocation, action="confirm", actor=actor, fields=["held_until", "reminder_sent_at"]
    )
    return allocation


def allocation_reschedule(
    *, allocation_id: int, actor: User, held_until: datetime.datetime
) -> Allocation:
    """The clinic moved the admission date: the confirmed slot is held to the new deadline."""
    allocation = _lock(allocation_id)
    if allocation.state == AllocationState.CONFIRMED and allocation.held_until <= timezone.now():
        # Past its deadline: the next sweep gives it back; it cannot be kept longer.
        raise DomainError(
            _("The referral's slot has passed its deadline; it can no longer be rescheduled."),
            code="slot_not_held",
        )
    _refuse_unless(allocation, expected=AllocationState.CONFIRMED, to=AllocationState.CONFIRMED)
    allocation.held_until = _held_until_capped(allocation.channel_id, held_until)
    allocation.reminder_sent_at = None  # a new deadline earns a new reminder
    ALLOCATION_WORKFLOW.move(
        allocation, action="reschedule", actor=actor, fields=["held_until", "reminder_sent_at"]
    )
    return allocation


def allocation_use(*, allocation_id: int, actor: User) -> Allocation:
    """The patient was admitted: the slot is used and stays taken."""
    allocation = _lock(allocation_id)
    _refuse_unless(allocation, expected=AllocationState.CONFIRMED, to=AllocationState.USED)
    ALLOCATION_WORKFLOW.move(allocation, action="use", actor=actor)
    return allocation


def _end(
    allocations: Sequence[Allocation],
    *,
    action: str,
    actor: User | None,
    reason: str,
    comment: str,
    now: datetime.datetime,
) -> list[Allocation]:
    """Move locked live allocations out, return their slots, end what was held on them."""
    ended = [
        move.obj
        for move in ALLOCATION_WORKFLOW.move_many(
            allocations, action=action, actor=actor, reason=reason, comment=comment, now=now
        )
    ]
    if ended:
        _slots_return(Counter(a.channel_id for a in ended))
        allocations_ended.send(
            sender=Allocation,
            allocations=ended,
            to_state=ALLOCATION_WORKFLOW[action].target,
            actor=actor,
            reason=reason,
            comment=comment,
            now=now,
        )
    return ended


def allocation_release_live(
    *, application_id: int, actor: User | None, reason: str, comment: str = ""
) -> Allocation | None:
    """Give back the application's held or confirmed slot, if it has one.

    The caller holds the application's lock (the first in the lock order).
    """
    allocation = (
        Allocation.objects.select_for_update(no_key=True)
        .filter(application_id=application_id, state__in=RELEASABLE_STATES)
        .first()
    )
    if allocation is None:
        return None
    _end(
        [allocation],
        action="release",
        actor=actor,
        reason=reason,
        comment=comment,
        now=timezone.now(),
    )
    _slots_offer([allocation.channel_id])
    return allocation


def _application_lock(allocation_id: int) -> None:
    """Lock the allocation's application row first, as every workflow does."""
    list(
        Allocation.objects.filter(pk=allocation_id)
        .select_related("application")
        .select_for_update(no_key=True, of=("application",))
        .only("pk", "application__id")
    )


@transaction.atomic
def allocation_release(
    *, allocation_id: int, actor: User, reason: str, comment: str = ""
) -> Allocation:
    """An officer gives a held or confirmed slot back to the channel, with a reason."""
    if reason not in ReleaseReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if reason == ReleaseReason.OTHER and not comment.strip():
        raise ValidationError({"comment": _("Explain the reason in a comment.")})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": _("Write at most %(limit)d characters.") % {"limit": COMMENT_MAX_LENGTH}}
        )
    allocation = Allocation.objects.select_related("channel").get(pk=allocation_id)
    if not can(actor, "release", allocation):
        raise PermissionDeniedError(_("Only officers of the channel can release its slots."))
    _application_lock(allocation_id)
    allocation = _lock(allocation_id)
    ALLOCATION_WORKFLOW.check(allocation.state, "release")
    _end(
        [allocation],
        action="release",
        actor=actor,
        reason=reason,
        comment=comment,
        now=timezone.now(),
    )
    _slots_offer([allocation.channel_id])
    return allocation


def allocations_expire_due(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Expire held and confirmed slots past their deadline; return how many expired.

    Set-based: one statement per table, not one transaction per allocation.
    Applications locked by someone else right now are left for the next run,
    and a second run finds nothing left to do.
    """
    now = now or timezone.now()
    expiring = ALLOCATION_WORKFLOW.sources_of("expire")
    with transaction.atomic():
        application_ids = [
            a.application_id
            for a in Allocation.objects.filter(state__in=expiring, held_until__lte=now)
            .select_related("application")
            .select_for_update(no_key=True, skip_locked=True, of=("application",))
            .only("pk", "application__id")
            .order_by("application_id")[:batch_size]
        ]
        if not application_ids:
            return 0
        due = list(
            Allocation.objects.select_for_update(no_key=True)
            .filter(application_id__in=application_ids, state__in=expiring, held_until__lte=now)
            .order_by("pk")
        )
        # Asked before the referrals on these slots close: their clinics are told too.
        watchers = notices.allocation_watchers_of(due)
        ended = _end(due, action="expire", actor=None, reason="deadline", comment="", now=now)
        notices.allocations_expired(
            Allocation.objects.filter(pk__in=[a.pk for a in ended]).select_related(
                "channel__issuing_institution", "application"
            ),
            watchers=watchers,
        )
        _slots_offer([a.channel_id for a in ended])
        return len(ended)


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
                state__in=RELEASABLE_STATES,
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
        notices.allocations_expiring(due)
        return len(due)
