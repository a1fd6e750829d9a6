"""What referrals do when the apps below them report a change (connected in ``apps.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from allocations.choices import AllocationState, ReleaseReason
from applications import access as application_access
from institutions.selectors import clinic_coordinators
from referrals.choices import LIVE_REFERRAL_STATUSES, ReferralStatus
from referrals.models import Referral
from referrals.workflow import REFERRAL_WORKFLOW

if TYPE_CHECKING:
    import datetime

    from django.contrib.auth.models import User

    from allocations.models import Allocation
    from applications.models import Application


def allocations_ended(
    *,
    allocations: list[Allocation],
    to_state: str,
    actor: User | None,
    reason: str,
    comment: str,
    now: datetime.datetime,
    **_kwargs: Any,
) -> None:
    """Close the live referrals whose slot just went back to its channel.

    A referral still waiting for the clinic is cancelled; an accepted one is
    cancelled, or a no-show when the slot expired without an admission. Without
    this a clinic could accept a referral whose slot someone else already holds.
    """
    expired = to_state == AllocationState.EXPIRED
    if expired:
        reason, comment = "slot_expired", _("The slot expired before the patient was admitted.")
    elif reason != ReleaseReason.APPLICATION_WITHDRAWN:
        reason = "slot_released"
    open_referrals = list(
        Referral.objects.select_for_update(no_key=True)
        .filter(allocation__in=[a.pk for a in allocations], status__in=LIVE_REFERRAL_STATUSES)
        .order_by("pk")
    )
    accepted_to = ReferralStatus.NO_SHOW if expired else ReferralStatus.CANCELLED
    for action, to in (("lapse_accepted", accepted_to), ("lapse", ReferralStatus.CANCELLED)):
        REFERRAL_WORKFLOW.move_many(
            open_referrals,
            action=action,
            to=to,
            actor=actor,
            reason=reason,
            comment=comment,
            now=now,
        )


def allocation_watchers(*, allocations: list[Allocation], **_kwargs: Any) -> dict[int, set[int]]:
    """The clinic of an open referral hears of its slot's deadline."""
    clinics = dict(
        Referral.objects.filter(
            allocation__in=[a.pk for a in allocations], status__in=LIVE_REFERRAL_STATUSES
        ).values_list("allocation_id", "receiving_institution_id")
    )
    return {allocation_id: clinic_coordinators(clinic) for allocation_id, clinic in clinics.items()}


def application_page_section(
    *, application: Application, user: User, **_kwargs: Any
) -> tuple[str, dict[str, Any]]:
    """The application page lists its referrals and offers to refer while a slot is held."""
    attempts = list(
        Referral.objects.filter(application=application)
        .select_related("receiving_institution")
        .order_by("created_at", "pk")
    )
    live = next(iter(getattr(application, "live_allocations", []) or []), None)
    can_refer = (
        application_access.can(user, "refer", application)
        and live is not None
        and live.state == AllocationState.HELD
        and not any(r.status in LIVE_REFERRAL_STATUSES for r in attempts)
    )
    return "referrals/_application_referrals.html", {
        "application": application,
        "attempts": attempts,
        "can_refer": can_refer,
    }
