"""What referrals do when the apps below them report a change (connected in ``apps.py``)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allocations.choices import AllocationState, ReleaseReason
from applications import access as application_access
from applications.access import SENDER
from applications.choices import ApplicationStatus
from applications.progress import CLINIC, CaseStage
from common.models import COMMENT_MAX_LENGTH
from institutions.selectors import clinic_coordinators
from referrals.choices import LIVE_REFERRAL_STATUSES, ReferralStatus
from referrals.models import Referral
from referrals.workflow import REFERRAL_WORKFLOW

if TYPE_CHECKING:
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
    # A copy of the release's comment, kept whole on the slot's own history.
    comment = comment[:COMMENT_MAX_LENGTH]
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
    sender = application_access.can(user, "refer", application)
    open_referral = next((r for r in attempts if r.status in LIVE_REFERRAL_STATUSES), None)
    can_refer = (
        sender
        and application.status == ApplicationStatus.APPROVED
        and live is not None
        and live.state == AllocationState.HELD
        and open_referral is None
    )
    # A sender who would look for the button learns why it is not there.
    refer_blocked = ""
    if sender and application.status == ApplicationStatus.APPROVED and not can_refer:
        if open_referral is not None:
            refer_blocked = _(
                "The patient is referred to %(clinic)s. Refer again only after the clinic "
                "declines or the referral is cancelled."
            ) % {"clinic": open_referral.receiving_institution.name}
        elif live is not None and live.state == AllocationState.USED:
            refer_blocked = _("The patient was admitted on this slot; the referral loop is closed.")
    return "referrals/_application_referrals.html", {
        "application": application,
        "attempts": attempts,
        "can_refer": can_refer,
        "refer_blocked": refer_blocked,
    }


def application_list_stages(
    *, applications: Sequence[Application], **_kwargs: Any
) -> dict[int, CaseStage]:
    """Where each approved application's case stands at its latest referral, in one query."""
    approved = [a.pk for a in applications if a.status == ApplicationStatus.APPROVED]
    latest: dict[int, Referral] = {}
    for referral in (
        Referral.objects.filter(application__in=approved)
        .select_related("receiving_institution")
        .order_by("application_id", "-created_at", "-pk")
    ):
        latest.setdefault(referral.application_id or 0, referral)
    return {pk: referral_stage(referral) for pk, referral in latest.items()}


def referral_stage(referral: Referral) -> CaseStage:
    """Where a case stands at this referral, and whose move it is."""
    clinic = referral.receiving_institution.short_name or referral.receiving_institution.name
    status = referral.status
    if status == ReferralStatus.SENT:
        return CaseStage(_("Referred to %(clinic)s") % {"clinic": clinic}, CLINIC)
    if status == ReferralStatus.INFO_REQUESTED:
        return CaseStage(_("%(clinic)s asked for information") % {"clinic": clinic}, SENDER)
    if status == ReferralStatus.ACCEPTED:
        text = _("Accepted by %(clinic)s for %(date)s")
        return CaseStage(text % {"clinic": clinic, "date": _date(referral.admission_date)}, CLINIC)
    if status == ReferralStatus.ADMITTED:
        text = _("Admitted to %(clinic)s on %(date)s")
        return CaseStage(text % {"clinic": clinic, "date": _date(referral.admitted_on)}, CLINIC)
    if status == ReferralStatus.DISCHARGED:
        text = _("Discharged from %(clinic)s on %(date)s")
        return CaseStage(text % {"clinic": clinic, "date": _date(referral.discharged_on)})
    if status == ReferralStatus.DECLINED:
        return CaseStage(
            _("Declined by %(clinic)s: to be referred again") % {"clinic": clinic}, SENDER
        )
    if status == ReferralStatus.NO_SHOW:
        return CaseStage(_("Did not arrive at %(clinic)s") % {"clinic": clinic}, SENDER)
    return CaseStage(_("Referral to %(clinic)s cancelled") % {"clinic": clinic}, SENDER)


def _date(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "?"
