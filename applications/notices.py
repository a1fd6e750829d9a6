"""The notices of the application workflow: who is told when a slot is decided.

Registered with ``APPLICATION_WORKFLOW`` (``apps.py``), so every move of an
application passes here; only the slot decisions notify anyone. Notices carry
numbers and names of institutions, never a patient's name or diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.choices import ApplicationStatus
from applications.models import Application
from common.workflow import Move
from notices.services import notices_emit
from quotas.selectors import channel_officers, sending_ministry_officers


class ApplicationNotice(models.TextChoices):
    """The notices of this app's events (registered with ``notices.kinds`` in ``apps.py``)."""

    SLOT_ALLOCATED = "slot_allocated", _("Slot allocated")
    SLOT_WAITLISTED = "slot_waitlisted", _("Application waitlisted")
    SLOT_PROMOTED = "slot_promoted", _("Promoted from the waiting list")


def _slot_decision(move: Move[Application]) -> str | None:
    if move.action == "approve":
        allocated = move.history.to_state == ApplicationStatus.APPROVED
        return ApplicationNotice.SLOT_ALLOCATED if allocated else ApplicationNotice.SLOT_WAITLISTED
    if move.action == "promote":
        return ApplicationNotice.SLOT_PROMOTED
    return None


def application_moved(moves: Sequence[Move[Any]]) -> None:
    """Allocated, waitlisted or promoted: the channel's and the sending ministry's officers."""
    for move in moves:
        kind = _slot_decision(move)
        if kind is None:
            continue
        application = move.obj
        notices_emit(
            kind=kind,
            event_key=f"application-event:{move.history.pk}",
            recipient_ids=channel_officers(application.channel)
            | sending_ministry_officers(application.pool),
            obj=application,
            link=reverse("application-detail", args=[application.pk]),
            context={
                "application": application,
                "channel": application.channel,
                "pool": application.pool,
                "allocation": next(iter(getattr(application, "live_allocations", []) or []), None),
            },
            exclude=move.actor,
        )
