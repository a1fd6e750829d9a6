"""The notices of the application workflow: who is told when a slot is decided.

Registered with ``APPLICATION_WORKFLOW`` (``apps.py``), so every move of an
application passes here; only the slot decisions notify anyone. Notices carry
numbers and names of institutions, never a patient's name or diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from applications.choices import ApplicationStatus
from applications.models import Application
from common.workflow import Move
from notices.choices import NoticeKind
from notices.services import notices_emit
from quotas.selectors import channel_officers, sending_ministry_officers


def _slot_decision(move: Move[Application]) -> str | None:
    if move.action == "approve":
        allocated = move.history.to_state == ApplicationStatus.APPROVED
        return NoticeKind.SLOT_ALLOCATED if allocated else NoticeKind.SLOT_WAITLISTED
    if move.action == "promote":
        return NoticeKind.SLOT_PROMOTED
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
