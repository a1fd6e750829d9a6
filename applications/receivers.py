"""What applications do when the apps below them report a change (connected in ``apps.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from allocations.choices import AllocationState
from applications.choices import ApplicationStatus
from applications.models import Application
from applications.waitlist import waitlist_promote
from applications.workflow import APPLICATION_WORKFLOW

if TYPE_CHECKING:
    import datetime

    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from allocations.models import Allocation


def patients_visible(*, user: User, **_kwargs: Any) -> QuerySet[Application, Any]:
    """Whoever may see an application may see its patient."""
    return Application.objects.restrict(user).values("patient_id")


def slots_freed(*, channel_id: int, **_kwargs: Any) -> None:
    """Free slots of a channel go to the head of its waiting list."""
    waitlist_promote(channel_id=channel_id)


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
    """An approved application whose slot ended has lapsed; the reviewer may take it back.

    The application rows are locked already: by the caller of a release, or by
    the sweep together with the allocations.
    """
    if to_state == AllocationState.EXPIRED:
        reason, comment = "deadline", _("The slot was not used before its deadline.")
    approved = list(
        Application.objects.filter(
            pk__in=[a.application_id for a in allocations], status=ApplicationStatus.APPROVED
        ).order_by("pk")
    )
    APPLICATION_WORKFLOW.move_many(
        approved,
        action="lapse",
        actor=actor,
        reason=reason,
        comment=comment,
        now=now,
        also={"decision_reason": reason},
    )
