"""Where each case stands, and whose move it is: what the application list shows.

An application's own status says where its review stands. Past approval the
case goes on in the apps above (its referral to a clinic): they answer through
``applications.signals.application_list_stages`` for the rows they know more of.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allocations.choices import AllocationState
from applications.access import REVIEWER, SENDER
from applications.choices import ApplicationStatus as S
from applications.models import Application
from applications.signals import application_list_stages
from common.workflow import PORTAL

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from allocations.models import Allocation
    from common.models import StateHistory
    from common.types import AnyUser

# Whose move it is: the roles of the tables, the clinic of a referral, and the
# portal for an application that waits for a slot to come free.
CLINIC = "clinic"
WAITS_ON_LABELS: dict[str, Promise] = {
    SENDER: gettext_lazy("Sending side"),
    REVIEWER: gettext_lazy("Reviewer"),
    CLINIC: gettext_lazy("Clinic"),
    PORTAL: gettext_lazy("A free slot"),
}


@dataclass(frozen=True)
class CaseStage:
    """Where a case stands (``label``) and whose move it is (``waits_on``, "" for nobody's)."""

    label: str
    waits_on: str = ""

    @property
    def waits_on_label(self) -> str:
        return str(WAITS_ON_LABELS[self.waits_on]) if self.waits_on else ""


@dataclass(frozen=True)
class ApplicationRow:
    """One row of the application list."""

    application: Application
    stage: CaseStage
    allocation: Allocation | None
    # Whole days since the slot was taken; None without a live slot.
    slot_days: int | None


def _review_stage(application: Application, allocation: Allocation | None) -> CaseStage:
    status = application.status
    if status == S.DRAFT:
        return CaseStage(_("Draft, not yet submitted"), SENDER)
    if status == S.SUBMITTED:
        return CaseStage(_("Submitted, awaiting review"), REVIEWER)
    if status == S.IN_REVIEW:
        return CaseStage(_("In review"), REVIEWER)
    if status == S.NEEDS_INFO:
        return CaseStage(_("Reviewer asked for information"), SENDER)
    if status == S.WAITLISTED:
        return CaseStage(_("On the waiting list"), PORTAL)
    if status == S.LAPSED:
        return CaseStage(_("Slot lapsed: to be reviewed again"), REVIEWER)
    if status == S.APPROVED:
        if allocation is not None and allocation.state == AllocationState.HELD:
            return CaseStage(_("Approved, not yet referred to a clinic"), SENDER)
        return CaseStage(_("Approved"))
    return CaseStage(application.get_status_display())


def application_rows(*, user: AnyUser, applications: Sequence[Application]) -> list[ApplicationRow]:
    """The rows of a page of ``application_list``: stage, whose move, days the slot is held.

    The apps above add what they know in one query for the whole page.
    """
    later: dict[int, CaseStage] = {}
    for _receiver, answer in application_list_stages.send(
        sender=Application, applications=applications, user=user
    ):
        later.update(cast("dict[int, CaseStage] | None", answer) or {})
    now = timezone.now()
    rows = []
    for application in applications:
        live = getattr(application, "live_allocations", [])
        allocation = live[0] if live else None
        rows.append(
            ApplicationRow(
                application=application,
                stage=later.get(application.pk) or _review_stage(application, allocation),
                allocation=allocation,
                slot_days=_days_since(allocation.created_at, now) if allocation else None,
            )
        )
    return rows


def _days_since(moment: datetime.datetime, now: datetime.datetime) -> int:
    # Whole days elapsed, as the review queue counts them.
    return max((now - moment).days, 0)


def latest_event_into(events: Iterable[StateHistory], state: str) -> StateHistory | None:
    """The latest of ``events`` (a history, oldest first) that moved into ``state``."""
    found = None
    for event in events:
        if event.to_state == state:
            found = event
    return found


def open_question(application: Application) -> StateHistory | None:
    """The reviewer's request still waiting for the sender's answer: who asked, when, what.

    Read from the prefetched history of ``application_detail_queryset``.
    """
    if application.status != S.NEEDS_INFO:
        return None
    return latest_event_into(application.events.all(), S.NEEDS_INFO)
