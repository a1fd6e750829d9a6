"""The allocation's table: a slot held, confirmed by a clinic, used, or given back.

Only ``release`` is a person's action (an officer of the channel gives the slot
back); the other steps follow from the application's and the referral's steps,
which check their own rights, and from the deadline sweep.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from allocations.choices import AllocationState as A
from allocations.models import Allocation, AllocationEvent
from common.workflow import NEW, PORTAL, Transition, Workflow

OFFICER = "officer"

# A slot that can still go back to its channel: not yet used by an admission.
RELEASABLE_STATES = frozenset({A.HELD, A.CONFIRMED})

ALLOCATION_WORKFLOW = Workflow(
    model=Allocation,
    history=AllocationEvent,
    history_fk="allocation",
    state_field="state",
    changed_at_field="state_changed_at",
    refusal=_("This allocation is %(state)s and cannot be released."),
    transitions=(
        Transition("hold", frozenset({NEW}), frozenset({A.HELD}), PORTAL, _("held")),
        Transition(
            "confirm", frozenset({A.HELD}), frozenset({A.CONFIRMED}), PORTAL, _("confirmed")
        ),
        # The clinic moved the admission date: the confirmed slot is held to the new one.
        Transition(
            "reschedule",
            frozenset({A.CONFIRMED}),
            frozenset({A.CONFIRMED}),
            PORTAL,
            _("rescheduled"),
        ),
        Transition("use", frozenset({A.CONFIRMED}), frozenset({A.USED}), PORTAL, _("used")),
        Transition("release", RELEASABLE_STATES, frozenset({A.RELEASED}), OFFICER, _("released")),
        Transition("expire", RELEASABLE_STATES, frozenset({A.EXPIRED}), PORTAL, _("expired")),
    ),
)
