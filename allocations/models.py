from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from allocations.access import AllocationQuerySet
from allocations.choices import LIVE_ALLOCATION_STATES, AllocationState
from common.models import StateHistory
from quotas.models import Channel


class Allocation(models.Model):
    """One slot of a channel held for one application.

    *held* on approval, *confirmed* when a clinic accepts, *used* on admission;
    *released* or *expired* return the slot to the channel.
    """

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("channel")
    )
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("application"),
    )
    # Moved only by ``allocations.workflow.ALLOCATION_WORKFLOW``.
    state = models.CharField(
        _("state"), max_length=16, choices=AllocationState.choices, default=AllocationState.HELD
    )
    held_until = models.DateTimeField(_("held until"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=LIVE_ALLOCATION_STATES),
                name="allocation_one_live_per_application",
            ),
        ]
        indexes = [
            models.Index(
                fields=["held_until"],
                condition=Q(state__in=[AllocationState.HELD, AllocationState.CONFIRMED]),
                name="allocation_held_deadline",
            ),
            models.Index(fields=["channel", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} · {self.get_state_display()}"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_ALLOCATION_STATES


class AllocationEvent(StateHistory):
    """One step of an allocation's history: who, when, from, to, why."""

    states = AllocationState
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="events")

    class Meta(StateHistory.Meta):
        verbose_name = _("allocation event")
        verbose_name_plural = _("allocation events")
