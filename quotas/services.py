"""Writes to pools and channels.

The sum of a pool's channels may never exceed the pool's total. The database
cannot check a sum across rows, so every write that changes either side locks
the pool row first; concurrent writers queue on that lock and each sees the
others' committed channels.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from common.exceptions import DomainError, PermissionDeniedError
from institutions.models import Institution
from quotas import access as quota_access
from quotas import notices
from quotas.choices import AgreementStatus, ChannelChangeKind
from quotas.models import (
    Agreement,
    AgreementRevision,
    Channel,
    ChannelChange,
    PoolRevision,
    QuotaPool,
)
from quotas.signals import channel_slots_freed
from quotas.workflow import AGREEMENT_WORKFLOW, agreement_step


def pool_lock(*, pool_id: int) -> QuotaPool:
    """Lock and return the pool row; callers must be inside a transaction."""
    return QuotaPool.objects.select_for_update(no_key=True).get(pk=pool_id)


def pool_allotted_slots(*, pool: QuotaPool, excluding: Channel | None = None) -> int:
    channels = Channel.objects.filter(pool=pool)
    if excluding is not None:
        channels = channels.exclude(pk=excluding.pk)
    return channels.aggregate(total=Sum("slots"))["total"] or 0


def _check_slots_value(slots: object) -> int:
    if not isinstance(slots, int) or isinstance(slots, bool):
        raise ValidationError({"slots": _("Enter a whole number of slots.")})
    if slots < 0:
        raise ValidationError({"slots": _("Slots cannot be negative.")})
    return slots


def _check_fits(*, pool: QuotaPool, others: int, slots: int) -> None:
    if others + slots > pool.total_slots:
        raise ValidationError(
            {
                "slots": _(
                    "The pool has %(total)d slots and its other channels hold %(others)d: "
                    "at most %(left)d are left for this channel."
                )
                % {"total": pool.total_slots, "others": others, "left": pool.total_slots - others}
            }
        )


@transaction.atomic
def channel_open(
    *,
    pool: QuotaPool,
    issuing_institution: Institution,
    slots: int,
    actor: User | None,
    reason: str = "",
) -> Channel:
    slots = _check_slots_value(slots)
    locked_pool = pool_lock(pool_id=pool.pk)
    if Channel.objects.filter(pool=locked_pool, issuing_institution=issuing_institution).exists():
        raise ValidationError(
            {"issuing_institution": _("This institution already issues a channel of the pool.")}
        )
    _check_fits(pool=locked_pool, others=pool_allotted_slots(pool=locked_pool), slots=slots)
    channel = Channel.objects.create(
        pool=locked_pool, issuing_institution=issuing_institution, slots=slots
    )
    ChannelChange.objects.create(
        channel=channel,
        kind=ChannelChangeKind.OPENED,
        slots_before=0,
        slots_after=slots,
        reason=reason,
        actor=actor,
    )
    return channel


@transaction.atomic
def channel_set_slots(
    *, channel: Channel, slots: int, actor: User | None, reason: str = ""
) -> Channel:
    slots = _check_slots_value(slots)
    locked_pool = pool_lock(pool_id=channel.pool_id)
    channel = Channel.objects.select_for_update(no_key=True).get(pk=channel.pk)
    _check_fits(
        pool=locked_pool,
        others=pool_allotted_slots(pool=locked_pool, excluding=channel),
        slots=slots,
    )
    if slots < channel.live_allocations:
        raise ValidationError(
            {
                "slots": _("%(taken)d slots of the channel are taken; it cannot have fewer.")
                % {"taken": channel.live_allocations}
            }
        )
    if slots == channel.slots:
        return channel
    ChannelChange.objects.create(
        channel=channel,
        kind=ChannelChangeKind.RESIZED,
        slots_before=channel.slots,
        slots_after=slots,
        reason=reason,
        actor=actor,
    )
    channel.slots = slots
    channel.save(update_fields=["slots"])
    if slots > channel.live_allocations:
        # New free slots go to whoever waits for them, in the same transaction.
        channel_slots_freed.send(sender=Channel, channel_id=channel.pk)
    return channel


@transaction.atomic
def pool_set_total_slots(*, pool: QuotaPool, total_slots: int) -> QuotaPool:
    """Change a pool's total; refused below what its channels already hold."""
    if not isinstance(total_slots, int) or total_slots < 0:
        raise ValidationError({"total_slots": _("Enter a whole, non-negative number of slots.")})
    locked_pool = pool_lock(pool_id=pool.pk)
    allotted = pool_allotted_slots(pool=locked_pool)
    if total_slots < allotted:
        raise ValidationError(
            {
                "total_slots": _("The pool's channels already hold %(allotted)d slots.")
                % {"allotted": allotted}
            }
        )
    locked_pool.total_slots = total_slots
    locked_pool.save(update_fields=["total_slots"])
    return locked_pool


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
    if not quota_access.can(actor, quota_access.MANAGE, source):
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
    notices.channel_transferred(changes[0], source=source, target=target)
    channel_slots_freed.send(sender=Channel, channel_id=target.pk)
    source.refresh_from_db()
    target.refresh_from_db()
    return source, target


# --- Agreements and pools: every write on the record ----------------------------------

AGREEMENT_RELATIONS = ("party_institutions",)
POOL_RELATIONS = ("specialties", "eligible_institutions")


def _as_recorded(value: object) -> object:
    """A field's value as the revision stores it (JSON)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_as_recorded(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str | dict):
        return value
    return str(value)  # a country, a lazy label


def _recorded(obj: models.Model, fields: Iterable[str], relations: Iterable[str]) -> dict[str, Any]:
    values = {name: _as_recorded(getattr(obj, name)) for name in fields}
    for name in relations:
        values[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    return values


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _write(
    obj: models.Model, data: dict[str, Any], relations: Iterable[str]
) -> tuple[list[str], dict[str, Any]]:
    """Assign the plain fields of ``data`` (not the relations); returns their names."""
    related = {name: data.pop(name) for name in relations if name in data}
    for name, value in data.items():
        setattr(obj, name, value)
    return list(data), related


@transaction.atomic
def agreement_create(*, actor: User | None, data: dict[str, Any]) -> Agreement:
    """A new agreement, entered in the status it has (a draft, or already in force)."""
    data = dict(data)
    status = data.pop("status", AgreementStatus.DRAFT)
    agreement = Agreement()
    fields, related = _write(agreement, data, AGREEMENT_RELATIONS)
    AGREEMENT_WORKFLOW.move(agreement, action="enter", to=status, actor=actor)
    for name, targets in related.items():
        getattr(agreement, name).set(targets)
    AgreementRevision.objects.create(
        agreement=agreement,
        actor=actor,
        reason="created",
        changes=_changes({}, _recorded(agreement, [*fields, "status"], related)),
    )
    return agreement


@transaction.atomic
def agreement_update(*, actor: User | None, agreement_id: int, data: dict[str, Any]) -> Agreement:
    """Change an agreement's fields; a new status must be a step of its table."""
    data = dict(data)
    agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement_id)
    status = data.pop("status", None)
    relations = [name for name in AGREEMENT_RELATIONS if name in data]
    before = _recorded(agreement, [*data, "status"], relations)
    fields, related = _write(agreement, data, AGREEMENT_RELATIONS)
    if fields:
        agreement.save(update_fields=[*fields, "updated_at"])
    for name, targets in related.items():
        getattr(agreement, name).set(targets)
    if status is not None and status != agreement.status:
        step = agreement_step(agreement.status, status)
        if step is None:
            raise DomainError(
                _("An agreement that is %(status)s cannot become %(target)s.")
                % {
                    "status": agreement.get_status_display(),
                    "target": AgreementStatus(status).label,
                },
                code="invalid_transition",
            )
        AGREEMENT_WORKFLOW.move(agreement, action=step, to=status, actor=actor)
    changes = _changes(before, _recorded(agreement, [*fields, "status"], relations))
    if changes:
        AgreementRevision.objects.create(
            agreement=agreement, actor=actor, reason="changed", changes=changes
        )
    return agreement


@transaction.atomic
def pool_create(*, actor: User | None, data: dict[str, Any]) -> QuotaPool:
    data = dict(data)
    pool = QuotaPool()
    fields, related = _write(pool, data, POOL_RELATIONS)
    pool.save()
    for name, targets in related.items():
        getattr(pool, name).set(targets)
    PoolRevision.objects.create(
        pool=pool,
        actor=actor,
        reason="created",
        changes=_changes({}, _recorded(pool, fields, related)),
    )
    return pool


@transaction.atomic
def pool_update(*, actor: User | None, pool_id: int, data: dict[str, Any]) -> QuotaPool:
    """Change a pool's fields under its row lock; the total goes through its own check."""
    data = dict(data)
    total_slots = data.pop("total_slots", None)
    # The other fields are saved onto a fresh, locked copy: they never write back a
    # total another request just changed.
    pool = pool_lock(pool_id=pool_id)
    before_total = pool.total_slots
    if total_slots is not None:  # refused below what the channels hold
        pool = pool_set_total_slots(pool=pool, total_slots=total_slots)
    relations = [name for name in POOL_RELATIONS if name in data]
    before = _recorded(pool, list(data), relations)
    fields, related = _write(pool, data, POOL_RELATIONS)
    if fields:
        pool.save(update_fields=fields)
    for name, targets in related.items():
        getattr(pool, name).set(targets)
    changes = _changes(before, _recorded(pool, fields, relations))
    if total_slots is not None and before_total != pool.total_slots:
        changes["total_slots"] = [before_total, pool.total_slots]
    if changes:
        PoolRevision.objects.create(pool=pool, actor=actor, reason="changed", changes=changes)
    return pool
