"""The notices of the referral workflow: who is told of each step.

Registered with ``REFERRAL_WORKFLOW`` (``apps.py``). Notices carry numbers,
names of institutions and dates, and a link; never a patient's name or diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.workflow import Move
from institutions.selectors import OFFICER_ROLES, clinic_coordinators, member_ids
from notices.services import notices_emit
from quotas.selectors import channel_officers, sending_ministry_officers
from referrals.choices import ReferralStatus, RescheduleReason
from referrals.models import Referral


class ReferralNotice(models.TextChoices):
    """The notices of this app's events (registered with ``notices.kinds`` in ``apps.py``)."""

    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_RESCHEDULED = "referral_rescheduled", _("Admission date changed")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_INFO_REQUESTED = "referral_info_requested", _("Information requested")
    REFERRAL_ANSWERED = "referral_answered", _("Information provided")
    REFERRAL_ADMITTED = "referral_admitted", _("Patient admitted")
    REFERRAL_DISCHARGED = "referral_discharged", _("Patient discharged")
    REFERRAL_NO_SHOW = "referral_no_show", _("Patient did not arrive")
    REFERRAL_CANCELLED = "referral_cancelled", _("Referral cancelled")


REFERRAL_KINDS = {
    # to the sender side
    ReferralStatus.ACCEPTED: ReferralNotice.REFERRAL_ACCEPTED,
    ReferralStatus.DECLINED: ReferralNotice.REFERRAL_DECLINED,
    ReferralStatus.INFO_REQUESTED: ReferralNotice.REFERRAL_INFO_REQUESTED,
    ReferralStatus.ADMITTED: ReferralNotice.REFERRAL_ADMITTED,
    ReferralStatus.DISCHARGED: ReferralNotice.REFERRAL_DISCHARGED,
    ReferralStatus.NO_SHOW: ReferralNotice.REFERRAL_NO_SHOW,
}


def _reason_label(move: Move[Referral]) -> str | Promise:
    """The coded reason of a rescheduling, in words (each recipient's language);
    never the free-text comment, which may hold clinical details."""
    reason = move.history.reason
    if move.action == "reschedule" and reason in RescheduleReason.values:
        return RescheduleReason(reason).label
    return ""


def _referral_link(referral: Referral) -> str:
    return reverse("referral-detail", args=[referral.pk])


def _step(move: Move[Referral]) -> tuple[str, set[int]] | None:
    """A person moved the referral: the clinic hears of new and answered referrals
    and of cancellations; the sender side of everything the clinic does, a new
    admission date included."""
    referral, status = move.obj, move.history.to_state
    if move.action == "reschedule":
        return ReferralNotice.REFERRAL_RESCHEDULED, referring_officers(referral)
    if status == ReferralStatus.SENT:
        answered = move.history.from_state == ReferralStatus.INFO_REQUESTED
        kind = ReferralNotice.REFERRAL_ANSWERED if answered else ReferralNotice.REFERRAL_RECEIVED
        return kind, clinic_coordinators(referral.receiving_institution_id)
    if status == ReferralStatus.CANCELLED:
        return ReferralNotice.REFERRAL_CANCELLED, clinic_coordinators(
            referral.receiving_institution_id
        )
    if status in REFERRAL_KINDS:
        return REFERRAL_KINDS[ReferralStatus(status)], referring_officers(referral)
    return None


def _closed(move: Move[Referral]) -> tuple[str, set[int]]:
    """The slot ended under the referral: the clinic, and the sender for a no-show."""
    referral, status = move.obj, move.history.to_state
    to = clinic_coordinators(referral.receiving_institution_id)
    if status == ReferralStatus.NO_SHOW:
        to |= referring_officers(referral)
    return REFERRAL_KINDS.get(ReferralStatus(status), ReferralNotice.REFERRAL_CANCELLED), to


def referral_moved(moves: Sequence[Move[Any]]) -> None:
    """Every move of a referral passes here (registered with ``REFERRAL_WORKFLOW``)."""
    for move in moves:
        referral = move.obj
        if move.in_bulk:
            kind, to = _closed(move)
            key = f"referral-closed:{referral.pk}:{move.history.to_state}:{move.history.reason}"
            exclude = None
        else:
            decided = _step(move)
            if decided is None:
                continue
            kind, to = decided
            key = f"referral-event:{move.history.pk}"
            exclude = move.actor
        notices_emit(
            kind=kind,
            event_key=key,
            recipient_ids=to,
            obj=referral,
            link=_referral_link(referral),
            context={"referral": referral, "reason": _reason_label(move)},
            exclude=exclude,
        )


def referring_officers(referral: Referral) -> set[int]:
    """The sender side of a referral: the application's channel and sending ministry."""
    if referral.application_id is None:
        return member_ids([referral.sender_id], OFFICER_ROLES)
    application = referral.application
    assert application is not None  # noqa: S101 (application_id is set, checked above)
    return channel_officers(application.channel) | sending_ministry_officers(application.pool)
